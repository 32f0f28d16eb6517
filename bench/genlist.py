"""Generate a large, valid powers-and-responsibilities list for benchmarks and tests.

    python bench/genlist.py OUT_FOLDER [--id gen-274] [--prosecutor-items 274] [--effective-from 2022-01-01]

The list has N prosecutor items (default 274, the size of Xinjiang's 2021 prosecutor list, seed case 8)
spread over the catalogue matters that no statutory floor raises, each conditioned so that it decides
only cases that are not major, difficult and complicated; procurator-general items (some delegable to a
deputy) for the major cases and for the matters the law gives the procurator-general; committee items
for matters the law gives the committee and for major cases affecting national security; and one
reporting rule. Matters whose floors hold only in some situations are left uncovered (so a batch meets
the fallback too). The result validates clean: `quanze validate OUT_FOLDER` prints no errors.
"""
from __future__ import annotations

import argparse
import os
import sys

import yaml

from quanze.catalogue import load_catalogue
from quanze.model import RANK

MDC_FALSE = {"fact": "case_is_major_difficult_complex", "is": False}
MDC_TRUE = {"fact": "case_is_major_difficult_complex", "is": True}
BASIS = ["《人民检察院刑事诉讼规则》第四条"]


def _pool(family: int):
    """Distinct satisfiable conditions under which a prosecutor decides (all: not a major case).

    Each matter's items read few facts (the deciding facts of one family), so that a request with
    facts missing stays within the decider's bound of completions."""
    cs, psr, dj = "case_source", "prior_supplementary_returns", "days_since_judgment_received"
    hsi = {"fact": "has_social_impact", "is": False}
    families = [
        [None, hsi, {"fact": cs, "eq": "public_security"}, {"fact": cs, "in": ["state_security", "other"]},
         {"fact": cs, "ne": "self_investigated"}, {"fact": cs, "eq": "other"},
         {"all": [hsi, {"fact": cs, "eq": "public_security"}]}, {"fact": cs, "in": ["public_security", "other"]}],
        [None, hsi, {"fact": psr, "lt": 2}, {"fact": psr, "lt": 1}, {"fact": psr, "lte": 3},
         {"fact": psr, "gt": 0}, {"all": [hsi, {"fact": psr, "lt": 2}]}, {"fact": "suspect_is_minor", "is": True}],
        [None, {"fact": "is_urgent", "is": False}, {"fact": dj, "lte": 30}, {"fact": dj, "lt": 10},
         {"fact": dj, "gte": 5}, {"all": [{"fact": "is_urgent", "is": False}, {"fact": dj, "lte": 30}]},
         {"fact": "suspect_is_minor", "is": False}, {"fact": dj, "gt": 15}],
    ]
    return [MDC_FALSE if e is None else {"all": [MDC_FALSE, e]} for e in families[family % len(families)]]


def build(catalogue, list_id: str, n_prosecutor: int, effective_from: str, effective_to=None, supersedes=None):
    """(list.yaml dict, {part file name: part dict})."""
    floors: dict[str, list] = {}
    for rule in catalogue.statutory:
        if rule.floor:
            for m in rule.matters:
                floors.setdefault(m, []).append(rule)
    free = [m for m in catalogue.matters if m not in floors]
    prosecutor, general, committee = [], [], []
    prefix = list_id.upper().replace("_", "-")
    for k in range(n_prosecutor):
        matter = free[k % len(free)]
        pool = _pool(k % len(free))
        cond = pool[(k // len(free)) % len(pool)]
        name = catalogue.matters[matter].name
        prosecutor.append({
            "id": f"{prefix}-P-{k + 1:04d}", "matter": matter, "when": cond,
            "responsibility": {"zh": f"对{name.zh}的决定负责", "en": f"answers for the decision to {name.en}"},
            "basis": BASIS,
        })
    for i, matter in enumerate(free):
        item = {"id": f"{prefix}-G-{i + 1:04d}", "matter": matter, "when": MDC_TRUE, "basis": BASIS}
        if i % 3 == 0:
            item["delegable_to"] = ["deputy_procurator_general"]
        if i % 4 == 1:
            item["report_to"] = ["department_head"]
        general.append(item)
        if i % 5 == 0:
            committee.append({"id": f"{prefix}-C-{len(committee) + 1:04d}", "matter": matter,
                              "when": {"all": [MDC_TRUE, {"fact": "may_affect_national_security_or_stability", "is": True}]},
                              "basis": ["《中华人民共和国人民检察院组织法》第三十一条"]})
    for matter, rules in floors.items():
        if any(r.when is not None for r in rules):
            continue  # a floor that holds only sometimes: left uncovered (the fallback decides)
        top = max((r.floor for r in rules), key=RANK.get)
        if top == "procurator_general":
            general.append({"id": f"{prefix}-G-{len(general) + 1:04d}", "matter": matter,
                            "basis": list(rules[0].basis)})
        elif top == "procuratorial_committee":
            committee.append({"id": f"{prefix}-C-{len(committee) + 1:04d}", "matter": matter,
                              "basis": list(rules[0].basis)})
    head = {
        "id": list_id,
        "title": {"zh": f"生成的检察权责清单（{list_id}）", "en": f"Generated powers-and-responsibilities list ({list_id})"},
        "issuer": {"zh": "基准测试", "en": "benchmark"},
        "level": "provincial",
        "effective_from": effective_from,
        "effective_to": effective_to,
        "parts": {"prosecutor": "prosecutor.yaml", "procurator_general": "procurator-general.yaml",
                  "committee": "committee.yaml"},
        "reporting": [{
            "id": f"{prefix}-R-01", "applies_to": "prosecutor",
            "when": {"any": [{"fact": "may_affect_national_security_or_stability", "is": True},
                             {"fact": "major_disagreement_with_public_security", "is": True}]},
            "report_to": ["department_head", "procurator_general"],
            "basis": ["《人民检察院刑事诉讼规则》第六条"],
        }],
    }
    if supersedes:
        head["supersedes"] = supersedes
    parts = {"prosecutor.yaml": {"part": "prosecutor", "items": prosecutor},
             "procurator-general.yaml": {"part": "procurator_general", "items": general},
             "committee.yaml": {"part": "committee", "items": committee}}
    return head, parts


def write(folder: str, head: dict, parts: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    dump = lambda data: yaml.dump(data, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=200)
    with open(os.path.join(folder, "list.yaml"), "w", encoding="utf-8") as f:
        f.write(dump(head))
    for name, data in parts.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(dump(data))


def generate(folder: str, list_id: str = "gen-274", n_prosecutor: int = 274, effective_from: str = "2022-01-01",
             effective_to=None, supersedes=None, rules=None) -> str:
    catalogue, _ = load_catalogue(rules)
    write(folder, *build(catalogue, list_id, n_prosecutor, effective_from, effective_to, supersedes))
    return folder


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--id", default="gen-274")
    ap.add_argument("--prosecutor-items", type=int, default=274)
    ap.add_argument("--effective-from", default="2022-01-01")
    ap.add_argument("--effective-to", default=None)
    ap.add_argument("--supersedes", default=None)
    ap.add_argument("--rules", default=None)
    a = ap.parse_args(argv)
    generate(a.out, a.id, a.prosecutor_items, a.effective_from, a.effective_to, a.supersedes, a.rules)
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
