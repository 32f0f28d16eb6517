"""The words of `quanze laws`: the register of legal documents, and one citation checked against it.

`quanze.laws` holds the register and checks citations; this module only words what it returns, in
Chinese or English (the words are `LAW_KIND` and `LAWS` of `words.py`). The findings' own messages
are English whatever the language, as everywhere.
"""
from __future__ import annotations

from .words import LAW_KIND, LAWS

def law_facts(law, register, lang: str) -> str:
    """One line: kind, dates, successor, articles (what is not recorded is said so)."""
    w = LAWS[lang]
    parts = [LAW_KIND[lang].get(law.kind, law.kind)]
    parts.append(w["from"].format(d=law.effective_from) if law.effective_from else w["from?"])
    if law.effective_to:
        parts.append(w["to"].format(d=law.effective_to))
    chain = register.successors(law)
    if chain:
        first = chain[0]
        parts.append((w["by"] if first.effective_from else w["by?"]).format(t=first.title, d=first.effective_from))
    parts.append(w["articles"].format(n=law.articles) if law.articles else w["articles?"])
    if law.local:
        parts.append(w["local"])
    return w["sep"].join(parts)


def register_text(register, lang: str) -> str:
    """The register as text: each document's id and title, then its facts, short names and text file."""
    w = LAWS[lang]
    out = []
    for law in register.laws:
        out.append(f"{law.id}  《{law.title}》")
        out.append("    " + law_facts(law, register, lang))
        if law.aliases:
            out.append("    " + w["aliases"].format(a=w["list_sep"].join(law.aliases)))
        if law.text:
            out.append("    " + w["text"].format(t=law.text))
    out.append(w["count"].format(n=len(register.laws)))
    return "\n".join(out) + "\n"


def citation_text(exam, register, lang: str) -> str:
    """One citation checked: valid or refused, each finding, the document, and the article's text."""
    w = LAWS[lang]
    out = [(w["valid"] if exam.valid else w["refused"]).format(c=exam.text.strip())]
    for p in exam.problems:
        tag = w["warning"] if p.code == "basis-not-in-force" else w["error"]
        out.append(f"  {tag} {p.code}: {p.message.get(lang)}")
    if exam.law is not None:
        out.append(f"  {exam.law.id}  《{exam.law.title}》")
        out.append("    " + law_facts(exam.law, register, lang))
        if exam.day is not None and exam.lapse is None:
            out.append("    " + w["in_force"].format(d=exam.day))
        if exam.valid:
            if exam.article is not None:
                out.extend("  " + line for line in exam.article)
            elif exam.law.text_path is None:
                out.append("  " + w["no_text"])
            else:
                out.append("  " + w["not_found"].format(t=exam.law.text))
    return "\n".join(out) + "\n"
