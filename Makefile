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

.PHONY: demo test typecheck bench bench-check bench-serve clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "quanze needs Python 3.11 or 3.12 (durable-rules does not import on 3.13)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# setuptools tells every editable install of a package kept under another folder's name (engine/ is
	@# `quanze`) to beware of folders named like the package, in a box of `!!`: information, not a problem
	PYTHONWARNINGS='ignore:Editable installation' $(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Each demo step prints the command, runs it, and says what its exit status means: for `decide`,
# `audit` and `check` a status of 1 is an answer ("the prosecutor may not decide alone"), not a failure.
# A status that is no answer (2: bad input or usage, or anything else) ends the demo with that status.
#   $(call step,COMMAND,MEANING OF 0,MEANING OF 1)   (MEANING OF 1 empty: 1 ends the demo too)
define step
	@echo '$$ quanze $(1)'
	@$(BIN)/quanze $(1); s=$$?; \
	case "$$s:$(strip $(3))" in \
	0:*) echo "exit status 0: $(strip $(2))" ;; \
	1:?*) echo "exit status 1: $(strip $(3))" ;; \
	*) echo "exit status $$s: the demo stops here"; exit $$s ;; \
	esac
endef

demo: $(STAMP)
	@echo '# Check the rules and the three sample lists. The 2019 list has no responsibility statements by design'
	@echo '# (the 2021 revision added them), so expect warnings about them and no error.'
	$(call step,validate,no errors: the lists and the rules are valid (warnings allowed))
	@echo; echo "# Run the lists' own expected decisions (cases.yaml)"
	$(call step,test -q,every case passes)
	@echo; echo '# Seed case 6: a prosecutor returns a case for supplementary investigation a third time'
	$(call step,decide lists/xj-2021 --matter return_for_supplementary_investigation --actor prosecutor --fact prior_supplementary_returns=2 --decided-by prosecutor,\
		the prosecutor may decide alone,the prosecutor may not decide alone: the law forbids a third return)
	@echo; echo '# Under the 2021 list the prosecutor no longer extends the review period alone'
	$(call step,decide lists --on 2022-03-01 --matter extend_review_period --actor prosecutor --fact case_is_major_or_complex=true --fact prior_review_extensions=0,\
		the prosecutor may decide alone,the prosecutor may not decide alone: it goes up to the procurator-general)
	@echo; echo '# A grassroots list implementing the 2021 regional list (conforms_to): a second extension of detention'
	@echo '# (刑诉法第一百五十八条) needs the provincial procuratorate, two levels up'
	$(call step,decide lists/xj-county-2022 --matter approve_detention_extension --actor prosecutor --fact detention_extension_article=art_158,\
		the prosecutor may decide alone,the prosecutor may not decide alone: it goes up level by level to the provincial procuratorate)
	@echo; echo '# The revision of 2021 against the list of 2019 (the first 60 lines of the review)'
	@echo '$$ quanze audit lists/xj-2021 --against lists/xj-2019 --format text | head -60'
	@out=$$($(BIN)/quanze audit lists/xj-2021 --against lists/xj-2019 --format text); s=$$?; \
	printf '%s\n' "$$out" | head -60; \
	case $$s in \
	0) echo "exit status 0: fit to publish" ;; \
	1) echo "exit status 1: blocked: findings prevent publication" ;; \
	*) echo "exit status $$s: the demo stops here"; exit $$s ;; \
	esac
	@echo; echo '# A batch: 20,000 generated actions, 5% of them bad lines on purpose, each checked against'
	@echo '# the version in force on its date; the decisions go to decisions.jsonl, the summary below'
	@echo '$$ python bench/generate.py lists 20000 --seed 7 -o actions.jsonl'
	@$(BIN)/python bench/generate.py lists 20000 --seed 7 -o actions.jsonl
	$(call step,check lists actions.jsonl --out decisions.jsonl --lang en,\
		nothing flagged and no bad line,lines were flagged for review or are bad (see the summary))

test: $(STAMP)
	$(BIN)/python -m pytest

# mypy over engine/ (imported as `quanze`, through a link: see [tool.mypy] in pyproject.toml) and
# cli.py; silent when clean
typecheck: $(STAMP)
	@mkdir -p $(VENV)/mypy-path && ln -sfn $(CURDIR)/engine $(VENV)/mypy-path/quanze
	@MYPYPATH=$(VENV)/mypy-path $(BIN)/mypy --no-error-summary

bench: $(STAMP)
	$(BIN)/python bench/decide_bench.py

bench-check: $(STAMP)
	$(BIN)/python bench/check_bench.py --repeat 3

bench-serve: $(STAMP)
	$(BIN)/python bench/serve_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis actions.jsonl decisions.jsonl quanze-log.sqlite*
