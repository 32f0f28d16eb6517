"""How a count (an integer fact of the catalogue whose Chinese label says 次数: 已退回补充侦查（调查）的
次数) reads in the situations a revision changes: none of it is "not yet done" (尚未延长, "no … yet"),
never "已经延长不足一次"; one or more is "done" (已经延长); a single value or a range is said once.
Each case is a revision of a small list (a prosecutor's item; the procurator-general's where the count
is as the case says), read in `quanze diff`'s text, for every count fact of the catalogue."""
from __future__ import annotations

import os
import re

import pytest
import yaml

import cli
from quanze.catalogue import load_catalogue
from quanze.present.words import count_stem

from .conftest import RULES

MATTER = "sentencing_recommendation"
BASIS = ["《人民检察院刑事诉讼规则》第四条"]
CATALOGUE, _ = load_catalogue(str(RULES))
COUNTS = [code for code, fact in CATALOGUE.facts.items() if count_stem(fact, "zh") is not None]
# (the comparisons of the procurator-general's item, what the changed situations read) for the two
# counts the catalogue ships; `{stem}` is the count's label without 的次数
SHIPPED = {
    "prior_review_extensions": {"zh": "本次审查起诉期限已经延长", "none": "本次审查起诉期限尚未延长",
                                "en": "the number of extensions of the current review period",
                                "en_none": "no extensions of the current review period yet"},
    "prior_supplementary_returns": {"zh": "已退回补充侦查（调查）", "none": "尚未退回补充侦查（调查）",
                                    "en": "the number of prior returns for supplementary investigation",
                                    "en_none": "no prior returns for supplementary investigation yet"},
}
CASES = [  # (the condition's comparisons, Chinese, English)
    ({"lt": 1}, "{none}", "{en_none}"),
    ({"eq": 0}, "{none}", "{en_none}"),
    ({"lte": 0}, "{none}", "{en_none}"),
    ({"eq": 1}, "{zh}一次", "{en} is 1"),
    ({"gte": 1}, "{zh}", "{en} is at least 1"),
    ({"gt": 0}, "{zh}", "{en} is at least 1"),
    ({"gte": 2}, "{zh}二次以上", "{en} is at least 2"),
    ({"lt": 2}, "{zh}不足二次", "{en} is less than 2"),
    ({"gte": 1, "lt": 3}, "{zh}一至二次", "{en} is 1 to 2"),
]
SITUATION = re.compile(r"^ {6}(.+?)(?: \(\d+\): |（\d+）：)", re.M)  # en: `… (2): `, zh: `…（2）：`


def _list(folder, list_id, items):
    os.makedirs(folder, exist_ok=True)
    head = {"id": list_id, "title": {"zh": "测试"}, "issuer": {"zh": "测试"}, "level": "provincial",
            "effective_from": "2022-01-01", "effective_to": None,
            "parts": {"prosecutor": "prosecutor.yaml", "procurator_general": "procurator-general.yaml"}}
    with open(os.path.join(folder, "list.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump(head, f, allow_unicode=True, sort_keys=False)
    for part in ("prosecutor", "procurator_general"):
        rows = [{k: v for k, v in i.items() if k != "part"} for i in items if i["part"] == part]
        with open(os.path.join(folder, part.replace("_", "-") + ".yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump({"part": part, "items": rows}, f, allow_unicode=True, sort_keys=False)
    return folder


def _revision(tmp_path, fact, comparisons):
    """Two lists: the prosecutor decides; then the procurator-general where `fact` is as `comparisons` say."""
    prosecutor = {"part": "prosecutor", "id": "P-1", "matter": MATTER, "basis": BASIS,
                  "responsibility": {"zh": "对决定负责"}}
    when = {"all": [{"fact": fact, op: v} for op, v in comparisons.items()]} if len(comparisons) > 1 \
        else {"fact": fact, **comparisons}
    general = {"part": "procurator_general", "id": "G-1", "matter": MATTER, "when": when, "basis": BASIS,
               "responsibility": {"zh": "对决定负责"}}
    return (_list(str(tmp_path / "old"), "t-old", [prosecutor]),
            _list(str(tmp_path / "new"), "t-new", [prosecutor, general]))


def _situations(runner, old, new, lang):
    r = runner.invoke(cli.main, ["diff", old, new, "--lang", lang])
    assert r.exit_code == 0, r.output
    return SITUATION.findall(r.stdout)


def test_the_catalogue_has_counts_to_word():
    assert set(SHIPPED) <= set(COUNTS)


@pytest.mark.parametrize("fact", sorted(SHIPPED))
@pytest.mark.parametrize("comparisons, zh, en", CASES)
def test_a_count_reads_naturally_at_its_boundaries(runner, tmp_path, fact, comparisons, zh, en):
    old, new = _revision(tmp_path, fact, comparisons)
    words = SHIPPED[fact]
    assert _situations(runner, old, new, "zh") == [zh.format(**words)]
    assert _situations(runner, old, new, "en") == [en.format(**words)]


@pytest.mark.parametrize("fact", COUNTS)
def test_none_of_every_count_reads_as_not_yet(runner, tmp_path, fact):
    """Whatever the count, none of it is 尚未… / "no … yet", never a comparison with one."""
    old, new = _revision(tmp_path, fact, {"lt": 1})
    zh, = _situations(runner, old, new, "zh")
    en, = _situations(runner, old, new, "en")
    assert "尚未" in zh and "不足" not in zh and "零" not in zh
    assert en.startswith("no ") and en.endswith(" yet") and "1" not in en
