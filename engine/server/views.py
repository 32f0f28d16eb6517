"""The catalogue and the lists as the API's JSON (pure: the model in, dicts out).

`GET /v1/matters` and `GET /v1/facts` give what `quanze matters --format json` and `quanze facts
--format json` print, with the business line's and the facts' labels beside them so that a page can
show everything in Chinese or English without another call; `GET /v1/authorities` the names of the
authorities a decision's `authority`, `chain` and `report_to` use.
"""
from __future__ import annotations

from quanze.model import AUTHORITIES, All, Catalogue, DoubleList, Leaf, Not
from quanze.present.words import when_words


def _text(t):
    return t.to_json() if t is not None else None


def matters_json(cat: Catalogue) -> list:
    return [{"code": m.code, "name": m.name.to_json(), "line": m.line,
             "line_name": _text(cat.lines[m.line].name) if m.line in cat.lines else None,
             "function": m.function, "basis": list(m.basis)} for m in cat.matters.values()]


def facts_json(cat: Catalogue) -> list:
    return [{"code": f.code, "type": f.type, "values": list(f.values), "min": f.min, "max": f.max,
             "question": f.question.to_json(), "label": _text(f.label),
             "value_labels": {k: _text(v) for k, v in f.value_labels.items()}} for f in cat.facts.values()]


def authorities_json(cat: Catalogue) -> list:
    return [{"code": a, "name": _text(cat.authority_names.get(a))} for a in AUTHORITIES]


def condition_json(cond):
    """A condition in the list format it was written in (`{all: [...]}`, `{fact: K, OP: V}`)."""
    if cond is None:
        return None
    if isinstance(cond, Leaf):
        return {"fact": cond.fact, cond.op: list(cond.value) if isinstance(cond.value, tuple) else cond.value}
    if isinstance(cond, Not):
        return {"not": condition_json(cond.term)}
    return {"all" if isinstance(cond, All) else "any": [condition_json(t) for t in cond.terms]}


def list_json(lst: DoubleList, cat: Catalogue) -> dict:
    """One list: its head and every item, with its condition as written and in words."""
    def item(i) -> dict:
        return {"id": i.id, "part": i.part, "matter": i.matter, "authority": i.authority,
                "when": condition_json(i.when),
                "when_words": {lang: when_words(i.when, cat, lang) for lang in ("zh", "en")},
                "title": _text(i.title), "delegable_to": list(i.delegable_to), "report_to": list(i.report_to),
                "responsibility": _text(i.responsibility), "duties": _text(i.duties), "basis": list(i.basis),
                "source": str(i.source)}

    def rule(r) -> dict:
        return {"id": r.id, "applies_to": list(r.applies_to), "when": condition_json(r.when),
                "report_to": list(r.report_to), "basis": list(r.basis), "source": str(r.source), "title": _text(r.title),
                "matters": list(r.matters), "lines": list(r.lines)}

    return {"id": lst.id, "digest": lst.digest, "title": _text(lst.title), "issuer": _text(lst.issuer),
            "level": lst.level, "effective_from": lst.effective_from, "effective_to": lst.effective_to,
            "supersedes": lst.supersedes, "conforms_to": lst.conforms_to, "description": _text(lst.description),
            "parts": [{"part": p.name, "file": p.file, "items": [item(i) for i in p.items]} for p in lst.parts],
            "reporting": [rule(r) for r in lst.reporting]}


