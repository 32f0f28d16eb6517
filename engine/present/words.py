"""Every word quanze prints, in Chinese and English, in one place: the names of authorities, parts,
matters and business lines, statuses and outcomes, conditions and situations in plain words, and the
headings and sentences of each document (a decision, a diff, the audit in text and as a page, the
list as published).

The words of the condition operators (为 / 不是 / 以上 ..., is / is not / at least ...) stay with each
operator's entry in `operators.py`, which `leaf_words` here reads.

A table is written `key: (zh, en)`, so the two languages sit side by side and a missing translation
shows; `by_lang` turns it into `{"zh": {...}, "en": {...}}` for the renderers. Entries that say the
same thing in different words (尚不能确定 / 不确定, the fallback with and without 未列明, ...) are kept
apart, as they print today, and marked `drift:` where they stand, for one decision on the wording later.

This module imports no renderer, so a computing module that must put a situation in words for a
message (`publication.py`) may import it; the renderers (the other modules of this package) import it.
"""
from __future__ import annotations

from ..model import All, Catalogue, Leaf, Not
from ..operators import OPERATORS, negated

LANGS = ("zh", "en")


def by_lang(table: dict) -> dict:
    """`{key: (zh, en)}` -> `{"zh": {key: zh}, "en": {key: en}}`."""
    return {lang: {key: pair[i] for key, pair in table.items()} for i, lang in enumerate(LANGS)}


# --- names from the catalogue ----------------------------------------------------------------------


def who(catalogue: Catalogue, code, lang: str) -> str:
    """An authority's name; "" for none, the code itself for one the catalogue does not name."""
    if code is None:
        return ""
    t = catalogue.authority_names.get(code)
    return t.get(lang) if t else str(code)


def matter_name(catalogue: Catalogue, code: str, lang: str) -> str:
    m = catalogue.matters.get(code)
    return m.name.get(lang) if m else code


def line_name(catalogue: Catalogue, code: str, lang: str) -> str:
    """A business line's name (the code where the catalogue has no such line)."""
    return catalogue.lines[code].name.get(lang) if code in catalogue.lines else code


SCOPE = by_lang({
    "every": ("全部事项", "every matter"),
    "matters": ("事项：{}", "matters: {}"),
    "lines": ("业务条线：{}", "business lines: {}"),
    "sep": ("；", "; "),
})


def scope_words(matters, lines, catalogue: Catalogue, lang: str) -> str:
    """A reporting rule's scope in words: every matter, or the `matters` and business `lines` it names."""
    w = SCOPE[lang]
    parts = []
    if matters:
        parts.append(w["matters"].format(NAMES_SEP[lang].join(matter_name(catalogue, m, lang) for m in matters)))
    if lines:
        parts.append(w["lines"].format(NAMES_SEP[lang].join(line_name(catalogue, x, lang) for x in lines)))
    return w["sep"].join(parts) or w["every"]


def text(t, lang: str) -> str:
    """A list's own bilingual text (title, responsibility, ...), "" where the list has none."""
    return t.get(lang) if t is not None else ""


# --- the parts of a list ---------------------------------------------------------------------------

# part: (zh, en title, en name). The Chinese is the part's title everywhere; English has a title for
# the published list and a short name for the diff and the audit.
PARTS = {
    "prosecutor": ("检察官权责清单", "Prosecutors' powers and responsibilities", "prosecutors"),
    "procurator_general": ("检察长权责清单", "The procurator-general's powers and responsibilities", "procurator-general"),
    "committee": ("检察委员会权责清单", "The procuratorial committee's powers and responsibilities", "procuratorial committee"),
    "office": ("检察委员会办事机构职责", "Duties of the committee's office", "committee office"),
}


# The levels of procuratorate (组织法第十三条), for what a list says of itself.
LEVEL_NAMES = by_lang({
    "grassroots": ("基层人民检察院", "grassroots"),
    "municipal": ("设区的市级人民检察院", "municipal"),
    "provincial": ("省级人民检察院", "provincial"),
    "supreme": ("最高人民检察院", "supreme"),
})


def level_name(level: str | None, lang: str) -> str:
    return "" if level is None else LEVEL_NAMES[lang].get(level, level)


def part_title(part: str, lang: str) -> str:
    """A part's heading in the published list."""
    zh, title, _ = PARTS[part]
    return zh if lang == "zh" else title


def part_name(part: str, lang: str) -> str:
    """A part's name in the diff and the audit (the code where the part is unknown)."""
    zh, _, name = PARTS.get(part, (part, part, part))
    return zh if lang == "zh" else name


# --- facts, values and conditions in words ---------------------------------------------------------

YES_NO = {True: ("是", "yes"), False: ("否", "no")}


def yes_no(value: bool, lang: str) -> str:
    return YES_NO[bool(value)][0 if lang == "zh" else 1]


def _label(catalogue: Catalogue, code: str, lang: str) -> str:
    f = catalogue.facts.get(code)
    if f is None:
        return code
    if f.label is not None:
        return f.label.get(lang)
    q = f.question.get(lang)
    return q.rstrip("？?")


# A false boolean fact without a `label_false` of its own: its label quoted under 并非 (in brackets in
# English), so that where a situation's facts are joined by "，" the negation visibly ends with the
# label: "并非案件有社会影响，可能对……" read as "neither", "并非「案件有社会影响」，可能对……" cannot.
NOT_LABEL = {"zh": "并非「{label}」", "en": "not ({label})"}


def negative_label(catalogue: Catalogue, code: str, lang: str) -> str:
    """A boolean fact's words when it is false: its `label_false` (案件没有社会影响), else its label
    under NOT_LABEL. In English, a `label_false` without `en` is used only where the label has none
    either (the English then shows the Chinese throughout); else the English label is negated."""
    f = catalogue.facts.get(code)
    own = f.label_false if f is not None else None
    if own is not None and (lang == "zh" or own.en is not None or f is None or f.label is None or f.label.en is None):
        return own.get(lang)
    return NOT_LABEL["zh" if lang == "zh" else "en"].format(label=_label(catalogue, code, lang))


def _value(catalogue: Catalogue, code: str, value, lang: str) -> str:
    f = catalogue.facts.get(code)
    if f is not None and f.value_labels.get(value) is not None:
        return f.value_labels[value].get(lang)
    if isinstance(value, bool):
        return yes_no(value, lang)
    return str(value)


ZH_NUM = "零一二三四五六七八九十"


def _num(v, lang):
    if lang == "zh" and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10:
        return ZH_NUM[v]
    return str(v)


def leaf_words(leaf: Leaf, catalogue: Catalogue, lang: str, negate: bool = False) -> str:
    """A leaf in words: the operator's template (`operators.OPERATORS`) for the fact's kind of value."""
    f = catalogue.facts.get(leaf.fact)
    label = _label(catalogue, leaf.fact, lang)
    op, v = negated(leaf.op, leaf.value) if negate else (leaf.op, leaf.value)
    kind = f.type if f is not None else None
    if kind == "boolean" and OPERATORS[op].operand == "list":
        op, v = _boolean_list(op, v)
    operator = OPERATORS[op]
    lang = "zh" if lang == "zh" else "en"
    words = operator.words[lang]
    if operator.presence:
        return words["presence"][bool(v)].format(label=label)
    if kind == "boolean" and "truth" in words:
        return words["truth"][bool(v)].format(label=label, negative=negative_label(catalogue, leaf.fact, lang))
    if isinstance(v, tuple):
        assert operator.joiner is not None  # every operator that takes a list has one
        vals = [_value(catalogue, leaf.fact, x, lang) for x in v]
        return words["list"][len(vals) > 1].format(label=label, value=operator.joiner[lang].join(vals))
    if kind == "integer" and f is not None:
        said = integer_words(f, {op: v}, catalogue, lang)
        if said is not None:
            return said
    if kind in ("integer", "date"):
        n = _num(v, lang) if kind == "integer" else _value(catalogue, leaf.fact, v, lang)
        stem = count_stem(f, lang) if kind == "integer" and f is not None else None
        if stem is not None and "count" in words:
            return words["count"].format(label=label, stem=stem, value=n)
        return words[kind].format(label=label, value=n)
    return words["plain"].format(label=label, value=_value(catalogue, leaf.fact, v, lang))


def _boolean_list(op: str, values: tuple) -> tuple:
    """`in` / `not_in` over a boolean fact as the leaf it amounts to, so that it is worded as one:
    one truth admitted → `is` that truth (`in: [false]` reads 案件没有社会影响, not 案件有社会影响为否);
    both → the fact is given (`exists`); none (`not_in: [true, false]`) stays as written."""
    listed = {x for x in values if isinstance(x, bool)}
    admitted = listed if op == "in" else {True, False} - listed
    if len(admitted) == 1:
        return "is", admitted.pop()
    if len(admitted) == 2:
        return "exists", True
    return op, values


# A count (an integer fact whose Chinese label says 次数: 已退回补充侦查（调查）的次数) is worded by its
# stem, the label without 的次数 (已退回补充侦查（调查）), in English the label without "the number of".
# None of it, or "fewer than one", reads as not yet done: the stem's 已经 / 已 become 尚未, in English
# "no … yet"; "one or more" reads as done, the stem itself (本次审查起诉期限已经延长).
COUNT_LABEL = {"zh": "次数", "en": "the number of "}
COUNT_DONE = ("已经", "已")
COUNT_NONE = {"zh": "尚未", "en": "no {stem} yet"}
# Both ends of an interval of an integer fact, said once (二至四次, 2 to 4).
LOWER_OPS, UPPER_OPS = frozenset(("gt", "gte")), frozenset(("lt", "lte"))
INTEGER_RANGE = {"count": {"zh": "{stem}{lo}至{hi}次"},
                 "plain": {"zh": "{label}为{lo}至{hi}", "en": "{label} is {lo} to {hi}"}}


def count_stem(fact, lang: str) -> str | None:
    """A count fact's stem in `lang` (see COUNT_LABEL), or None where the fact is not a count or its
    label in `lang` does not say what it counts."""
    if fact.type != "integer" or fact.label is None or COUNT_LABEL["zh"] not in fact.label.get("zh"):
        return None
    label = fact.label.get(lang)
    if lang == "zh":
        return label.replace("的次数", "").replace("次数", "")
    return label[len(COUNT_LABEL["en"]):] if label.startswith(COUNT_LABEL["en"]) else None


def integer_interval(fact, ops: dict) -> tuple | None:
    """The values an integer fact may take under the comparisons `ops` (`{"gte": 1, "lt": 3}`), as
    (lowest, highest), either None where unbounded, from the fact's `min` and `max`; None where an
    operator or a value is not one of an interval's (a list, a `ne` inside the range)."""
    lo, hi = fact.min, fact.max
    for op, c in ops.items():
        if type(c) is not int:
            return None
        if op in ("is", "eq"):
            lo, hi = c if lo is None else max(lo, c), c if hi is None else min(hi, c)
        elif op in ("gt", "gte"):
            c = c + 1 if op == "gt" else c
            lo = c if lo is None else max(lo, c)
        elif op in ("lt", "lte"):
            c = c - 1 if op == "lt" else c
            hi = c if hi is None else min(hi, c)
        elif op == "ne" and c in (lo, hi):  # at an end of the range: the range without that end
            lo, hi = (c + 1, hi) if c == lo else (lo, c - 1)
        else:
            return None
    return lo, hi


def integer_words(fact, ops: dict, catalogue: Catalogue, lang: str) -> str | None:
    """Comparisons of one integer fact in words where an interval reads better than each comparison
    (else None, for the operators' templates): a single value as that value (一次以上 and 不足二次
    together are 一次); a count's none (不足一次, 为零次 → 尚未…; "no … yet") and its one or more (一次以上
    → the stem: 已经延长)."""
    found = integer_interval(fact, ops)
    if found is None:
        return None
    lo, hi = found
    stem = count_stem(fact, lang)
    if lo is not None and lo == hi:
        if lo == 0 and stem is not None:
            if lang != "zh":
                return COUNT_NONE["en"].format(stem=stem)
            done = next((d for d in COUNT_DONE if d in stem), None)
            if done is not None:
                return stem.replace(done, COUNT_NONE["zh"], 1)
        if set(ops) in ({"is"}, {"eq"}):
            return None  # the operators' template for a value
        return leaf_words(Leaf(fact.code, "eq", lo), catalogue, lang)
    if lo == 1 and hi is None and fact.min == 0 and stem is not None and lang == "zh" \
            and any(d in stem for d in COUNT_DONE):
        return stem
    lower, upper = ops.keys() & LOWER_OPS, ops.keys() & UPPER_OPS
    if lo is not None and hi is not None and lower and upper:  # bounded both ways: one range, the label once
        label = _label(catalogue, fact.code, lang)
        return INTEGER_RANGE["count" if stem is not None and lang == "zh" else "plain"][lang].format(
            label=label, stem=stem, lo=_num(lo, lang), hi=_num(hi, lang))
    # not the least value (不是零), or a count more than none (超过零次): one or more
    if lo is not None and hi is None and set(ops) != {"gte"} and (
            "ne" in ops or stem is not None and fact.min == 0 and lo == 1):
        return leaf_words(Leaf(fact.code, "gte", lo), catalogue, lang)
    return None


def condition_words(cond, catalogue: Catalogue, lang: str = "zh", negate: bool = False, top: bool = True) -> str:
    """A condition in plain words: `{fact: case_is_major_difficult_complex, is: true}` → 案件重大、疑难、复杂."""
    if cond is None:
        return ""
    zh = lang == "zh"
    if isinstance(cond, Leaf):
        return leaf_words(cond, catalogue, lang, negate)
    if isinstance(cond, Not):
        return condition_words(cond.term, catalogue, lang, not negate, top)
    terms = [condition_words(t, catalogue, lang, negate, False) for t in cond.terms]
    conj = isinstance(cond, All) != negate  # De Morgan under negation
    if len(terms) == 1:
        return terms[0]
    if zh:
        text = ("，且" if conj else "，或者").join(terms)
        return text if top else f"（{text}）"
    text = (" and " if conj else ", or ").join(terms)
    return text if top else f"({text})"


def when_words(cond, catalogue: Catalogue, lang: str) -> str:
    """An item's condition as a clause: zh `……的`, en `where ……`; unconditional → 一律 / in every case."""
    if cond is None:
        return "一律" if lang == "zh" else "in every case"
    text = condition_words(cond, catalogue, lang)
    return f"{text}的" if lang == "zh" else f"where {text}"


def situation_words(situation: dict, catalogue: Catalogue, lang: str) -> str:
    """A situation (fact → value) in plain words; "" for the empty situation (every situation)."""
    parts = []
    for code, v in situation.items():
        f = catalogue.facts.get(code)
        # a cube of the exact impact (`impact._region`): absent, any of several values, or a region
        if v is None:
            parts.append(leaf_words(Leaf(code, "exists", False), catalogue, lang))
        elif isinstance(v, list):
            given = f is not None and f.type == "boolean"
            parts.append(leaf_words(Leaf(code, "exists", True) if given else Leaf(code, "in", tuple(v)), catalogue, lang))
        elif isinstance(v, dict):
            said = integer_words(f, v, catalogue, lang) if f is not None and f.type == "integer" else None
            if said is not None:
                parts.append(said)
            else:
                parts.extend(leaf_words(Leaf(code, op, tuple(c) if isinstance(c, list) else c), catalogue, lang)
                             for op, c in v.items())
        elif f is not None and f.type == "boolean":
            parts.append(leaf_words(Leaf(code, "is", bool(v)), catalogue, lang))
        else:
            parts.append(leaf_words(Leaf(code, "eq", v), catalogue, lang))
    return ("，" if lang == "zh" else "; ").join(parts)


# How the alternatives and the factors of a set of situations are joined (`cubes_words`). Where a page
# sets them one a line (`cubes_lines`), a joiner's first character (；，or a space) ends a line and the
# rest (或者, 并且, "or ", " and ") starts the next.
ALTERNATIVES = {"zh": "；或者", "en": " or "}
FACTORS = {"zh": "，并且", "en": ", and "}
BRACKETS = {"zh": ("（", "）"), "en": ("[", "]")}
# English joins one situation's facts with "; " (`situation_words`): an alternative of several is bracketed
ALTERNATIVE_BRACKETS = {"zh": ("", ""), "en": ("(", ")")}
FACTOR_FACTS = 10  # most facts whose splits `_factor` tries (2^n of them)


def cubes_words(cubes: list, catalogue: Catalogue, lang: str) -> str:
    """A union of cubes (each a situation of `situation_words`) in words, factored where it is a product:
    the cubes of 案件重大 | 案件有社会影响 times those of 涉嫌危害国家安全犯罪 | … read as
    "（案件重大…；或者案件有社会影响…），并且（…；或者…）" rather than four conjunctions that repeat
    each other, and what every cube says is said once, first. Every word said is one of the cubes' own;
    the set described is the same."""
    return "".join("".join(factor) for factor in cubes_lines(cubes, catalogue, lang))


def cubes_lines(cubes: list, catalogue: Catalogue, lang: str) -> list[list[str]]:
    """`cubes_words` in lines, for a page that sets one alternative a line: a list per factor (what
    every cube says, then each bracketed choice), each a list of its alternatives' lines, the joiners
    split between them (a line ends "；", the next starts "或者"). Joined, they are `cubes_words`."""
    lang = "zh" if lang == "zh" else "en"
    factors = _factors([dict(c) for c in cubes])
    common: dict = {}
    for f in factors:
        if len(f) == 1:
            common.update(f[0])
    parts = [[situation_words(common, catalogue, lang)]] if common else []
    many = [f for f in factors if len(f) > 1]
    end, start = ALTERNATIVES[lang][:1], ALTERNATIVES[lang][1:]
    for f in many:
        lines = [_alternative(c, catalogue, lang) for c in f]
        lines = [line + end if i < len(lines) - 1 else line for i, line in enumerate(lines)]
        lines = [start + line if i else line for i, line in enumerate(lines)]
        if len(factors) > 1:
            lines[0], lines[-1] = BRACKETS[lang][0] + lines[0], lines[-1] + BRACKETS[lang][1]
        parts.append(lines)
    parts = [p for p in parts if p != [""]]
    end, start = FACTORS[lang][:1], FACTORS[lang][1:]
    for i in range(len(parts) - 1):
        parts[i][-1] += end
        parts[i + 1][0] = start + parts[i + 1][0]
    return parts


def _alternative(cube: dict, catalogue: Catalogue, lang: str) -> str:
    words = situation_words(cube, catalogue, lang)
    return ALTERNATIVE_BRACKETS[lang][0] + words + ALTERNATIVE_BRACKETS[lang][1] if len(cube) > 1 else words


def _factors(cubes: list) -> list:
    """`cubes` as a product of lists of cubes over disjoint facts, split as far as it goes."""
    if len(cubes) <= 1:
        return [cubes]
    split = _factor(cubes)
    if split is None:
        return [cubes]
    return [f for side in split for f in _factors(side)]


def _factor(cubes: list) -> list | None:
    """Two lists of cubes over disjoint facts whose products are exactly `cubes` (the common facts of
    every cube come out as a factor of one cube), or None. The first fact's side is kept first."""
    facts = list(dict.fromkeys(f for c in cubes for f in c))
    if len(facts) < 2 or len(facts) > FACTOR_FACTS:
        return None
    have = {_key(c) for c in cubes}
    for size in range(1, len(facts)):
        for mask in range(1, 1 << len(facts)):
            if bin(mask).count("1") != size:
                continue
            left = {f for i, f in enumerate(facts) if mask >> i & 1}
            a = list({_key(_only(c, left)): _only(c, left) for c in cubes}.values())
            b = list({_key(_only(c, set(facts) - left)): _only(c, set(facts) - left) for c in cubes}.values())
            if len(a) < 2 and len(b) < 2 or len(a) * len(b) != len(have):
                continue
            if all(_key({**x, **y}) in have for x in a for y in b):
                return [a, b] if facts[0] in left else [b, a]
    return None


def _only(cube: dict, keep: set) -> dict:
    return {f: v for f, v in cube.items() if f in keep}


def _key(cube: dict) -> tuple:
    return tuple(sorted((f, repr(v)) for f, v in cube.items()))


# What stands for the empty situation (a change in every situation of the matter) where situations are listed.
EVERY_SITUATION = {"zh": "全部情形", "en": "in all situations"}


# --- statuses, directions, coverage ----------------------------------------------------------------

DIRECTION = {"up": ("上收", "up"), "down": ("下放", "down"), "mixed": ("因情形而异", "mixed")}
# What changed in a decision where its authority did not go up or down (`impact.changed_aspects`); the
# coverage in the direction it changed.
CHANGE = by_lang({
    "authority": ("决定主体改变", "authority changes"),
    "status": ("决定状态改变", "status changes"),
    "listed": ("新列入", "newly listed"), "unlisted": ("不再列入", "no longer listed"),
    "route": ("报批路径改变", "route changes"),
    "reporting": ("报告义务改变", "duties to report change"),
    "violation": ("越权认定改变", "violation changes"),
    "sep": ("、", ", "),
})
COVERAGE = {"added": ("新列入", "newly covered"), "removed": ("不再列入", "no longer covered")}
DIMENSION = {"part": ("部分", "part"), "line": ("业务条线", "business line"), "function": ("职能", "function"),
             "total": ("合计", "total")}

# A matter's function (`function:` of rules/matters.yaml, a closed set): the "four procuratorates"
# (四大检察) and the comprehensive work beside them (the committee, case management).
FUNCTION = by_lang({
    "criminal": ("刑事检察", "criminal"),
    "civil": ("民事检察", "civil"),
    "administrative": ("行政检察", "administrative"),
    "public_interest": ("公益诉讼检察", "public interest litigation"),
    "comprehensive": ("综合业务", "comprehensive"),
})


def function_name(code: str, lang: str) -> str:
    """A function's name (the code where the table has none)."""
    return FUNCTION[lang].get(code, code)

# A decision's outcome in one phrase (`outcome_words`), as the diff's text and the audit page say it.
# drift: the two say "undetermined" and "report to" differently.
OUTCOME = {
    "text": by_lang({"forbidden": ("法律禁止", "forbidden"), "undetermined": ("尚不能确定", "undetermined"),
                     "unless": ("尚不能确定（如法律不禁止，由{a}决定）", "undetermined (if the law allows it, the {a})"),
                     "uncovered": ("（未列明，默认）", " (not listed: by default)"),
                     "uncovered_by_law": ("（未列明，依法律规定）", " (not listed: as the law requires)"),
                     "report": (" 报告", " report to "),
                     "maybe": (" 视情形报告", " perhaps report to "), "committee": ("（经检察委员会）", " (through the committee)"),
                     "delegated": ("（可由副检察长决定）", " (or the deputy, delegated)")}),
    "page": by_lang({"forbidden": ("法律禁止", "forbidden"), "undetermined": ("不确定", "undetermined"),
                     "unless": ("不确定（如法律不禁止，由{a}决定）", "undetermined (if the law allows it, the {a})"),
                     "uncovered": ("（未列明，默认）", " (not listed: by default)"),
                     "uncovered_by_law": ("（未列明，依法律规定）", " (not listed: as the law requires)"),
                     "report": ("，报告", "; report to "),
                     "maybe": ("，视情形报告", "; perhaps report to "), "committee": ("（经检察委员会）", " (through the committee)"),
                     "delegated": ("（可由副检察长决定）", " (or the deputy, delegated)")}),
}
NAMES_SEP = {"zh": "、", "en": ", "}  # names joined: the enumeration comma in Chinese, a comma in English


def outcome_words(brief: dict, catalogue: Catalogue, lang: str, style: str = "text") -> str:
    """A decision brief (`impact.outcome_brief`) in one phrase: the status or the authority required,
    whether the list is silent, the chain where it passes the committee below the authority, a
    delegation to the deputy, and who must be informed (outright, or for some answers to missing facts).
    `style` is "text" (diff) or "page" (audit HTML)."""
    w = OUTCOME[style][lang]
    if brief["status"] == "forbidden":
        s = w["forbidden"]
    elif brief["status"] == "undetermined":  # open only on whether the law forbids it: who decides if not
        s = w["unless"].format(a=who(catalogue, brief["authority"], lang)) if brief.get("authority") else w["undetermined"]
    else:
        s = who(catalogue, brief["authority"], lang)
        if brief["uncovered"]:  # the list is silent: the procurator-general by default, or whom the law requires
            s += w["uncovered"] if brief["authority"] == "procurator_general" else w["uncovered_by_law"]
    if "procuratorial_committee" in brief.get("chain", ()) and brief["authority"] != "procuratorial_committee":
        s += w["committee"]
    if brief.get("delegated"):
        s += w["delegated"]
    if brief["obligations"]:
        s += w["report"] + NAMES_SEP[lang].join(who(catalogue, a, lang) for a in brief["obligations"])
    if brief.get("conditional_obligations"):
        s += w["maybe"] + NAMES_SEP[lang].join(who(catalogue, a, lang) for a in brief["conditional_obligations"])
    return s


def change_words(direction: str, changes: list, old: dict, new: dict, lang: str) -> str:
    """What changed in a decision, in a few words: up or down where the authority went up or down,
    else each aspect that changed (`impact.changed_aspects`), the coverage in its direction."""
    if direction in ("up", "down"):
        return DIRECTION[direction][LANGS.index(lang)]
    w = CHANGE[lang]
    said = []
    for aspect in changes:
        if aspect == "authority" and old.get("status") != new.get("status"):
            aspect = "status"
        if aspect == "coverage":
            aspect = "listed" if old.get("uncovered") and not new.get("uncovered") else "unlisted"
        said.append(w[aspect])
    return w["sep"].join(said)


def sided_names(catalogue: Catalogue, side: dict, lang: str, words: dict) -> str:
    """One side of a matter in a diff (`diff_lists`' `old`/`new`): the authorities its items name, or
    where none decides, whom the decisions require there (the procurator-general by default, or whom
    the law requires), said so."""
    if side["authorities"]:
        return NAMES_SEP[lang].join(who(catalogue, a, lang) for a in side["authorities"])
    required = side.get("required") or ["procurator_general"]
    if required == ["procurator_general"]:
        return words["fallback"]
    return NAMES_SEP[lang].join(who(catalogue, a, lang) for a in required) + words["fallback_by_law"]


# --- a decision (`quanze decide`) ------------------------------------------------------------------

DECISION = by_lang({
    "may": ("可以自行决定", "You may decide this yourself"),
    "must": ("须报{a}决定", "Must go to the {a} to decide"),
    "by": ("由{a}决定", "Decided by the {a}"),
    "forbidden": ("法律禁止", "Forbidden by law"),
    "undetermined": ("尚不能确定：请先回答下列问题", "Cannot tell yet: answer these first"),
    "matter": ("事项", "Matter"),
    "authority": ("决定主体", "Decided by"),
    "chain": ("报批路径", "Route"),
    "chain_delegated": ("（或经授权由副检察长决定）", " (or the deputy procurator-general, by delegation)"),
    "delegation": ("授权", "Delegation"),
    "delegated": ("清单允许检察长授权副检察长决定此事项",
                  "the list lets the procurator-general delegate this matter to the deputy procurator-general"),
    "report": ("报告义务", "Report to"),
    "report_if": ("（视{f}而定）", " (depending on {f})"),
    "because": ("依据", "Because"),
    "ask": ("需要回答", "To answer"),
    "vote": ("检察委员会表决", "Committee vote"),
    "violation": ("越权", "Violation"),
    "uncovered": ("清单未列明此事项，由检察长决定（《人民检察院刑事诉讼规则》第四条）",
                  "The list has no item on this matter: the procurator-general decides (Rules art. 4)"),
    # the list is silent, but a statutory floor puts the matter above the procurator-general's fallback
    "uncovered_floor": ("清单未列明此事项；依照法律由{a}决定（{basis}）",
                        "The list has no item on this matter; by law the {a} decides ({basis})"),
    "uncovered_upper": ("清单未列明此事项；依照上级清单 {l} 由{a}决定（{ids}）",
                        "The list has no item on this matter; the upper list {l} puts it at the {a} ({ids})"),
    "responsible": ("责任主体", "Responsible"),
    "list": ("清单", "List"),
    "valid": ("有效", "valid"),
    "invalid": ("无效（出席未过半数）", "invalid (no quorum)"),
    "adopted": ("通过", "adopted"),
    "rejected": ("未通过（赞成未过全体委员半数）", "not adopted (no majority of all members)"),
    "refer": ("检察长不同意多数意见，可以报请{a}决定（重大事项也可以报请本级人民代表大会常务委员会决定）",
              "the procurator-general dissents and may refer it to the {a} (a major matter also to the people's "
              "congress standing committee at the same level)"),
    "unless": ("如果法律不禁止，由{a}决定；先回答下列问题", "If the law allows it, the {a} decides: answer these first"),
    "sep": ("；", "; "),
    "colon": ("：", ": "),
    "and": ("、", ", "),
    "forbid_tag": ("禁止", "prohibition"),
    "permission_tag": ("须经许可", "needs permission"),
    "report_tag": ("报告", "report"),
    "upper_tag": ("上级清单 {l}", "upper list {l}"),
    "v_forbidden": ("作出了法律禁止的决定", "took a decision the law forbids"),
    "v_power": ("无权决定，应由{a}决定", "lacked the power: the {a} decides"),
})


# The sections of the matters whose decisions change (`diff.matter_section`), as the page's tiles and
# headings and the text's count line name them.
SECTION_NAMES = {
    "up_matters": ("上收的事项", "Matters raised"),
    "down_matters": ("下放的事项", "Matters lowered"),
    "mixed_matters": ("因情形而异的事项", "Matters raised in some situations, lowered in others"),
    "listed_matters": ("主体未变、列入情况改变的事项", "Matters newly listed or no longer listed, same authority"),
    "other_matters": ("决定主体未变，列明情况、报告义务或者报批路径改变的事项",
                      "Matters whose authority stays but whose listing, duties to report or route change"),
}


# The punctuation of the text and Markdown reports (diff, audit): full-width in Chinese, English in
# English, written once for both.
PUNCTUATION = {
    "colon": ("：", ": "),
    "semi": ("；", "; "),
    "head": ("{h}：", "{h}:"),                # a heading of the text that a list follows
    "head_count": ("{h}（{n}）", "{h} ({n})"),  # a heading with its count
    "paren": ("（{x}）", " ({x})"),            # an aside that follows the words it is about
    "aside": ("（{x}）", "({x})"),             # an aside in a column of its own (a place, after two spaces)
}


# --- the diff (`quanze diff`) ----------------------------------------------------------------------

DIFF = by_lang({
    **DIRECTION, **DIMENSION, **SECTION_NAMES, **PUNCTUATION,
    "diff": ("比较", "Diff"),
    # what changed in an item or a reporting rule: words in Chinese, the JSON's names in English
    "fields_sep": ("、", ", "),
    **{f"field_{k}": (zh, k) for k, zh in (
        ("matter", "事项"), ("authority", "决定主体"), ("condition", "适用情形"), ("report_to", "报告对象"),
        ("delegable_to", "可授权对象"), ("title", "标题"), ("responsibility", "责任"), ("duties", "职责"),
        ("basis", "依据"), ("note", "说明"), ("applies_to", "适用的决定主体"), ("scope", "适用范围"))},
    "summary": ("新增 {added}，删除 {removed}，匹配 {matched}（实质修改 {substance}，仅措辞修改 {reworded}，移动 {moved}）；"
                "事项：{directions}；{enumerated}，{changed}",
                "{added} added, {removed} removed, {matched} matched ({substance} changed in substance, "
                "{reworded} reworded only, {moved} moved); matters: {directions}; {enumerated}, {changed}"),
    "count": ("{what} {n}", "{n} {what}"),  # a number and what it counts
    "list_sep": ("，", ", "),
    "added": ("新增条目", "Items added"),
    "removed": ("删除条目", "Items removed"),
    "changed": ("修改条目", "Items changed"),  # drift: the audit page says 修改的条目
    "reporting": ("报告规则的变化", "Reporting rules"),
    "reporting_added": ("新增", "added"),
    "reporting_removed": ("删除", "removed"),
    "scope_change": ("适用范围：{old} → {new}", "scope: {old} → {new}"),
    "matters": ("事项变化", "Matters"),
    "section_sep": ("；", "; "),  # between the sections' counts (a section's name may hold a comma)
    "unchanged": ("主体未变", "same authority"),
    "counts": ("条目数量（原 → 新）", "Counts (old → new)"),
    "none": ("无变化", "no change"),
    "situations": ("情形", "situations"),
    "enumerated": ("共枚举情形", "situations enumerated"),  # drift: the audit page says 枚举情形
    "changed_situations": ("决定改变的情形", "situations whose decision changes"),  # drift: page: situations changed
    "coverage_added": COVERAGE["added"],
    "coverage_removed": COVERAGE["removed"],
    "coverage_kept": ("", ""),
    "moved": ("移至", "moved to"),
    "bounded": ("（未能完整核对：{why}）", " (not checked whole: {why})"),
    "more_cubes": ("另有 {n} 种情形组合", "{n} more"),
    "undescribed": ("情形组合过多，未逐一描述", "too many to describe one by one"),
    "fallback": ("检察长（未列明，默认）", "procurator-general (not listed: by default)"),
    "fallback_by_law": ("（未列明，依法律规定）", " (not listed: as the law requires)"),
    "no_authority": ("—", "—"),  # an office item decides nothing
})
ARROW = {"up": "↑", "down": "↓", "mixed": "↕", "unchanged": "="}


# --- the audit as text and Markdown (`quanze audit`) -----------------------------------------------

RAISED = ("上收的权力", "Powers raised")
LOWERED = ("下放的权力", "Powers lowered")

AUDIT = by_lang({
    **DIRECTION, **PUNCTUATION,
    "fit": ("可以发布", "FIT TO PUBLISH"),  # drift: the page says Fit to publish
    "blocked": ("不得发布：存在阻止发布的问题", "BLOCKED: findings prevent publication"),
    "audit": ("发布审查", "Publication review"),
    "against": ("（对照 {id}）", " (against {id})"),  # drift: the page says 对照现行清单 / against the list in force
    "findings": ("审查发现", "Findings"),
    "finding_counts": ("错误 {errors}，警告 {warnings}", "{errors} errors, {warnings} warnings"),
    "blocking": ("阻止发布的问题", "Blocking findings"),
    "replay": ("回放", "Replay"),
    "impact": ("精确影响", "Exact impact"),
    "no_against": ("（没有对照清单：未作比较）", "(no list to compare with: no diff)"),  # drift: the page's none_against
    "raised": (RAISED[0] + "（条目决定主体提高）", RAISED[1] + " (an item's authority went up)"),
    "lowered": (LOWERED[0] + "（条目决定主体降低）", LOWERED[1] + " (an item's authority went down)"),
    "example": ("例如", "e.g."),
    "line": ("第 {n} 行", "line {n}"),
    "case": ("（案件 {case}）", " (case {case})"),
    "impact_summary": ("共枚举 {enumerated} 种情形（{examined} 个事项，其中 {identical} 个事项两版规则相同）；"
                       "决定改变的情形 {changed} 种",
                       "{enumerated} situations enumerated over {examined} matters ({identical} with identical "
                       "rules in both versions); {changed} change their decision"),
    "impact_bounded": ("；未能完整核对的事项（不得发布）：{matters}", "; not checked whole (blocks publication): {matters}"),
    "replay_summary": ("共 {total} 项行为，决定改变的 {changed} 项（上收或者下放 {moved} 项，其他改变 {other} 项），"
                       "无效行 {errors} 行",
                       "{total} actions, {changed} change their decision ({moved} up or down, {other} otherwise), "
                       "{errors} bad lines"),
})


# --- the audit as a page (`quanze audit --format html`) --------------------------------------------

AUDIT_PAGE = by_lang({
    **DIRECTION, **DIMENSION,
    **{f"c_{k}": v for k, v in COVERAGE.items()},
    "title": ("发布审查", "Publication review"),
    "heading": ("{title}：{list}", "{title}: {list}"),
    "fit": ("可以发布", "Fit to publish"),
    "blocked": ("不得发布", "Blocked"),
    "fit_sub": ("未发现阻止发布的问题", "no finding blocks publication"),
    "blocked_sub": ("下列问题阻止发布，须先修改", "these findings block publication and must be fixed first"),
    "against": ("对照现行清单", "against the list in force"),
    "none_against": ("没有对照清单，未作比较", "no list to compare with: no diff"),
    "changed": ("决定发生变化的事项", "Matters whose decisions change"),
    "matter": ("事项", "Matter"),
    "direction": ("方向", "Direction"),
    "coverage": ("覆盖", "Coverage"),
    "old": ("原", "old"),
    "new": ("新", "new"),
    "items": ("条目", "Items"),
    "situations": ("改变的情形", "Situations changed"),
    "where": ("主要变化（情形：原 → 新）", "Main changes (situation: old → new)"),
    "findings": ("审查发现", "Findings"),
    "check": ("检查", "Check"),
    "place": ("位置", "Place"),
    "detail": ("说明", "Detail"),
    "severity": ("级别", "Severity"),
    "raised": (RAISED[0] + "（条目决定主体提高）", RAISED[1] + " (an item's authority went up)"),
    "lowered": (LOWERED[0] + "（条目决定主体降低）", LOWERED[1] + " (an item's authority went down)"),
    "raised_short": RAISED,
    "lowered_short": LOWERED,
    **SECTION_NAMES,
    "added": ("新增条目", "Items added"),
    "removed": ("删除条目", "Items removed"),
    "reworded": ("修改的条目", "Items changed"),
    "reporting": ("报告规则的变化", "Reporting rules"),
    "reporting_added": ("新增", "added"),
    "reporting_removed": ("删除", "removed"),
    "scope_change": ("{old} → {new}", "{old} → {new}"),
    "scope": ("适用范围", "Scope"),
    "counts": ("条目数量", "Counts"),
    "impact": ("精确影响", "Exact impact"),
    "replay": ("回放", "Replay"),
    "enumerated": ("枚举情形", "situations enumerated"),
    "changed_sit": ("决定改变的情形", "situations changed"),
    "matters_examined": ("个事项", "matters"),
    "unchanged": ("主体未变", "same authority"),
    "c_kept": ("保留", "kept"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "actions": ("回放行为", "actions replayed"),
    "act_changed": ("决定改变", "decisions changed"),
    "what": ("变化", "Changes"),
    "fallback": ("检察长（未列明，默认）", "procurator-general (not listed: by default)"),
    "fallback_by_law": ("（未列明，依法律规定）", " (not listed: as the law requires)"),
    "case": ("案件", "Case"),
    "bad_lines": ("无效行", "bad lines"),
    "open": ("（", " ("), "close": ("）", ")"),
    "bounded": ("未能完整核对", "not checked whole"),
    "decide": ("在 quanze decide 中复现", "reproduce with quanze decide"),
    "colon": ("：", ": "),
})


# --- the explanatory note of a revision (`quanze audit --revision-note`) ------------------------------

NOTE = by_lang({
    **DIRECTION,
    **{f"c_{k}": v for k, v in COVERAGE.items()},
    "title": ("《{title}》修订说明", "Explanatory note on the revision: {title}"),
    "meta": ("{issuer}　{id}，{day} 起施行；对照现行清单 {old}（《{old_title}》）",
             "{issuer} — {id}, in force from {day}; against the list in force {old} ({old_title})"),
    "overview": ("修订概况", "Overview"),
    "overview_text": ("本次修订新增条目 {added} 条，删除条目 {removed} 条，实质修改条目 {substance} 条，仅措辞修改条目 {reworded} 条，"
                      "调整所属部分 {moved} 条。决定主体上收的事项 {up} 项，下放的事项 {down} 项，因情形而异的事项 {mixed} 项；"
                      "新列入或者不再列入而决定主体未变的事项 {listed} 项；决定主体未变，列明情况、报告义务或者报批路径改变的事项 {other} 项。"
                      "逐一比对 {enumerated} 种情形，决定改变的情形共 {situations} 种。",
                      "Items: {added} added, {removed} removed, {substance} changed in substance, {reworded} reworded "
                      "only, {moved} moved to another part. Matters: {up} raised, {down} lowered, {mixed} raised or "
                      "lowered by situation, {listed} newly listed or no longer listed with the same authority, {other} "
                      "with the same authority where the listing, the duties to report or the route change. Situations: {enumerated} compared one by "
                      "one, {situations} change their decision."),
    "fit": ("发布审查结论：可以发布（错误 {errors} 项，警告 {warnings} 项）。",
            "Publication review: fit to publish ({errors} errors, {warnings} warnings)."),
    "blocked": ("发布审查结论：不得发布，存在 {errors} 项阻止发布的问题（警告 {warnings} 项），须先修改。",
                "Publication review: blocked by {errors} findings ({warnings} warnings), to be fixed first."),
    "matters": ("主要修改内容", "What changes, matter by matter"),
    "none": ("没有决定改变的事项。", "No decision changes."),
    "section_up": ("决定主体上收的事项", "Matters raised"),
    "section_mixed": ("决定主体因情形而异的事项", "Matters raised in some situations, lowered in others"),
    "section_down": ("决定主体下放的事项", "Matters lowered"),
    "section_listed": ("新列入或者不再列入、决定主体未变的事项", "Matters newly listed or no longer listed, same authority"),
    "section_other": ("决定主体未变，列明情况、报告义务或者报批路径改变的事项",
                      "Matters whose authority stays but whose listing, duties to report or route change"),
    "same": ("决定主体未变", "same authority"),
    "authority": ("决定主体", "Decided by"),
    "items": ("条目", "Items"),
    "situations": ("决定改变的情形（{changed}/{total} 种）", "Situations whose decision changes ({changed} of {total})"),
    "group": ("（{kind}，{count} 种情形）", " ({kind}; situations: {count})"),
    "or": ("；或者", "; or "),
    "more_cubes": ("；等另 {n} 种情形组合", "; and {n} more combinations"),
    "more_groups": ("另有 {n} 组情形，见发布审查报告", "{n} more groups of situations: see the publication review"),
    "undescribed": ("情形组合过多，未逐一描述", "too many combinations to describe one by one"),
    "bounded": ("未能完整核对（不得发布）", "not checked whole (blocks publication)"),
    "reason": ("修改理由", "Reason"),
    "no_reason": ("条目未载明（未填写 note）", "not given (no item has a note)"),
    "see_reporting": ("见报告义务规则的修改", "see the changes to the duties to report"),
    "reporting": ("报告义务规则的修改", "Duties to report"),
    "rule_added": ("新增，报告{new}", "added: report to {new}"),
    "rule_removed": ("删除（原报告{old}）", "removed (reported to {old})"),
    "rule_changed": ("修改{changes}", "changed: {changes}"),
    "rule_to": ("报告对象：{old} → {new}", "report to: {old} → {new}"),
    "r_applies_to": ("适用的决定主体", "who it applies to"), "r_condition": ("情形", "the situations"),
    "r_report_to": ("报告对象", "whom to report to"), "r_scope": ("适用的事项范围", "its scope"),
    "r_title": ("标题", "title"), "r_basis": ("依据", "basis"),
    "other": ("其他修改", "Other changes"),
    "reworded": ("仅措辞修改的条目 {n} 条：", "{n} items reworded only: "),
    "removed": ("删除的条目 {n} 条：", "{n} items removed: "),
    "field_title": ("标题", "title"), "field_responsibility": ("责任", "responsibility"),
    "field_duties": ("职责", "duties"), "field_basis": ("依据", "basis"), "field_note": ("说明", "note"),
    "fallback": ("检察长（未列明，默认）", "procurator-general (not listed: by default)"),
    "fallback_by_law": ("（未列明，依法律规定）", " (not listed: as the law requires)"),
    "open": ("（", " ("), "close": ("）", ")"), "sep": ("，", ", "), "colon": ("：", ": "), "and": ("、", ", "),
})


# --- the list as published (`quanze show`) ---------------------------------------------------------

LIST = by_lang({
    "id": ("编号", "No."),
    "matter": ("事项", "Matter"),
    "decides": ("决定主体", "Decided by"),
    "when": ("情形", "When"),
    "report": ("报告义务", "Report to"),
    "responsibility": ("责任", "Responsibility"),
    "basis": ("依据", "Basis"),
    "duties": ("职责", "Duties"),
    "colon": ("：", ": "),
    "field_sep": ("；", "; "),
    "line": ("【{}】", "[{}]"),
    "list_id": ("　[{}]", " [{}]"),
    "in_force": ("{issuer}　{start} 起施行", "{issuer} — in force from {start}"),
    "until": ("，至 {}", " to {}"),
    "supersedes": ("（取代 {}）", " (supersedes {})"),
    "conforms": ("（{level}清单，实施上级清单 {upper}）", " (a {level} list implementing the upper list {upper})"),
    "delegable": ("（可授权{}）", " (may delegate to {})"),
    "reporting": ("报告义务", "Duties to report"),
    "reporting_scope": ("（限于{}）", " (only {})"),
    "reporting_rule": ("{title}：{applies}决定的事项{scope}，{when}的，应当及时报告{to}。（{basis}）",
                       "{title}: on matters the {applies} decides{scope}, where {when}, report promptly to the {to}. ({basis})"),
    "reporting_basis_sep": ("；", "; "),
    "fallback": ("本清单未列明的事项，由{}决定（《人民检察院刑事诉讼规则》第四条）。",
                 "Matters this list does not name are decided by the {} (Criminal Procedure Rules art. 4)."),
})


# --- a batch (`quanze check`): the table's and the CSV's columns and cells --------------------------

# In Chinese, every column and every cell `check` computes is in words; in English they are the
# codes, as in the JSON Lines (what a machine reads). Column names are the same in the table and the
# CSV, and `check` reads its own CSV back under either (`actions.COLUMN_NAMES`; the cells' Chinese
# names through `names.py`, as any typed name).
BATCH_COLUMNS = by_lang({
    "line": ("行号", "line"),
    "case": ("案号", "case"),
    "matter": ("事项", "matter"),
    "actor": ("提出人", "actor"),
    "decided_by": ("决定人", "decided_by"),
    "status": ("状态", "status"),
    "authority": ("决定主体", "authority"),
    "actor_may_decide": ("可否自行决定", "actor_may_decide"),
    "flags": ("标记", "flags"),
    "chain": ("报批路径", "chain"),
    "delegable_to": ("可授权", "delegable_to"),
    "obligations": ("报告义务", "obligations"),
    "missing_facts": ("待补事实", "missing_facts"),
    "violation": ("越权", "violation"),
    "error": ("错误", "error"),
    "list": ("清单", "list"),
    "digest": ("清单摘要", "digest"),
    "on": ("日期", "on"),
    "vote": ("表决", "vote"),
})
BATCH_STATUS = by_lang({"ok": ("已确定", "ok"), "forbidden": ("法律禁止", "forbidden"),
                        "undetermined": ("待补事实", "undetermined")})
BATCH_FLAG = by_lang({"forbidden": ("法律禁止", "forbidden"), "undetermined": ("待补事实", "undetermined"),
                      "escalate": ("须报批", "escalate"), "uncovered": ("清单未列明", "uncovered"),
                      "violation": ("越权", "violation"), "obligation": ("须报告", "obligation")})
BATCH = by_lang({
    "flags_or_error": ("标记 / 错误", "flags / error"),
    "flag_sep": ("、", " "),
    "delegable": ("可授权", "delegable"),  # the table's mark of a matter the deputy may decide by delegation
    "chain_sep": (" → ", " > "),
    "names_sep": ("、", ","),
    "list_sep": ("；", "; "),
    "by": ("（{by}）", " ({by})"),
    "if": ("（{by}；视{facts}而定）", " ({by}) if {facts}"),
    "or_by": ("/", "/"),
    "true": ("是", "true"),
    "false": ("否", "false"),
})


def fact_label(catalogue: Catalogue, code: str, lang: str) -> str:
    """A fact's name as a column or a phrase: its label, or its question without the question mark."""
    return _label(catalogue, code, lang)


# --- the summary of a batch (`quanze check`) -------------------------------------------------------

SUMMARY = by_lang({
    "interrupted": ("已中断：以下为已处理部分的统计", "interrupted: the summary of the lines checked so far"),
    "totals": ("共 {lines} 行：已判断 {decided}，标记 {flagged}，违规决定 {violations}，清单未覆盖 {uncovered}，"
               "待补事实 {undetermined}，错误行 {bad_lines}",
               "{lines} {line}: {decided} decided, {flagged} flagged, {violations} {violation}, {uncovered} uncovered, "
               "{undetermined} undetermined, {bad_lines} {bad_line}"),
    "by_status": ("状态", "by status"),
    "by_authority": ("决定主体", "by required authority"),
    "by_flag": ("标记", "by flag"),
    "bad_by_code": ("错误行", "bad lines by code"),
    "colon": ("：", ": "),
    "count_sep": ("，", ", "),
})


# What a bad line's code means, in a few Chinese words (the summary's count of bad lines by code, in
# Chinese: `未知事项（unknown-matter）1`); every request code has one (tests/test_chinese_errors.py).
BAD_LINE_CODES = {
    "unknown-key": "未知的请求键", "missing-key": "缺少事项", "unknown-matter": "未知事项", "unknown-fact": "未知事实",
    "unknown-authority": "未知决定主体", "bad-value": "取值有误", "too-large": "行过长", "bad-json": "不是有效的 JSON",
    "bad-encoding": "不是 UTF-8 编码", "empty-line": "空行", "bad-request": "请求格式有误", "bad-vote": "表决有误",
    "no-list-in-force": "没有施行中的清单", "bad-row": "CSV 行有误", "log-unavailable": "决定日志无法写入",
}


def bad_line_code(code: str, lang: str) -> str:
    """A bad line's code in the summary: in Chinese its meaning and the code (`未知事项（unknown-matter）`),
    in English the code."""
    meaning = BAD_LINE_CODES.get(code) if lang == "zh" else None
    return f"{meaning}（{code}）" if meaning else code


def plural(noun: str, n: int) -> str:
    """An English noun for a count of `n` (line, lines)."""
    return noun if n == 1 else f"{noun}s"


# --- the register of legal documents (`quanze laws`) -------------------------------------------------

LAW_KIND = by_lang({"law": ("法律", "law"), "judicial_interpretation": ("司法解释", "judicial interpretation"),
                    "procuratorial_rule": ("检察规则", "procuratorial rule"),
                    "normative_document": ("规范性文件", "normative document")})
LAWS = by_lang({
    "from": ("{d} 起施行", "in force from {d}"),
    "from?": ("施行日期未载明", "in force from: not recorded"),
    "to": ("{d} 止", "until {d}"),
    "by": ("{d} 起由《{t}》取代", "superseded by 《{t}》 from {d}"),
    "by?": ("由《{t}》取代", "superseded by 《{t}》"),
    "articles": ("共 {n} 条", "{n} articles"),
    "articles?": ("条文数未载明", "articles: not recorded"),
    "aliases": ("简称：{a}", "also: {a}"),
    "text": ("文本：{t}", "text: {t}"),
    "local": ("清单自行登记", "registered by the list"),
    "sep": ("；", "; "),
    "list_sep": ("、", ", "),
    "count": ("共 {n} 件法律文件", "{n} documents"),
    "valid": ("{c}：引用有效", "{c}: a valid citation"),
    "refused": ("{c}：引用无效", "{c}: refused"),
    "in_force": ("{d} 施行中", "in force on {d}"),
    "warning": ("警告", "warning"),
    "error": ("错误", "error"),
    "no_text": ("（未登记文本，不显示条文）", "(no text registered: the article is not shown)"),
    "not_found": ("（文本 {t} 中未找到该条）", "(the article is not in the text {t})"),
})
