# Two commands on a fresh machine (Python 3.11 or 3.12 and a C compiler, which durable-rules needs):
#   make demo   sets up .venv and runs the main job on the sample lists
#   make test   sets up .venv and runs the tests
# durable-rules 2.0.28 does not import on Python 3.13, so the newest of 3.12 / 3.11 is chosen.
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 13))' 2>/dev/null \
	&& echo $$p && break; done)
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: demo test bench bench-check clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "quanze needs Python 3.11 or 3.12 (durable-rules does not import on 3.13)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/quanze validate
	$(BIN)/quanze test -q
	@echo; echo '# Seed case 6: a prosecutor returns a case for supplementary investigation a third time'
	-$(BIN)/quanze decide lists/xj-2021 --matter return_for_supplementary_investigation \
		--actor prosecutor --fact prior_supplementary_returns=2 --decided-by prosecutor
	@echo; echo '# Under the 2021 list the prosecutor no longer extends the review period alone'
	-$(BIN)/quanze decide lists --on 2022-03-01 --matter extend_review_period --actor prosecutor \
		--fact case_is_major_or_complex=true
	@echo; echo '# The revision of 2021 against the list of 2019'
	-$(BIN)/quanze audit lists/xj-2021 --against lists/xj-2019 --format text | head -60
	@echo; echo '# A batch: 20,000 generated actions (5% bad lines) checked against the version in force on each date'
	$(BIN)/python bench/generate.py lists 20000 --seed 7 -o actions.jsonl
	-$(BIN)/quanze check lists actions.jsonl --out decisions.jsonl --lang en

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/decide_bench.py

bench-check: $(STAMP)
	$(BIN)/python bench/check_bench.py --repeat 3

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis actions.jsonl decisions.jsonl
