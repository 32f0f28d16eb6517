"""The HTML page shell every page shares (the list as published, the audit): one self-contained file
with inline CSS, no script and no external resource, readable on screen and printed on A4; and the
escaping every renderer applies to what it puts in a page.
"""
from __future__ import annotations

import html
from typing import Sequence

CSS = """
:root{--ink:#1b1f24;--mute:#5b6470;--line:#d8dde3;--up:#b42318;--upbg:#fef3f2;--down:#175cd3;--downbg:#eff8ff;
--mix:#9a3412;--mixbg:#fff7ed;--ok:#067647;--okbg:#ecfdf3;--warnbg:#fffaeb;--warn:#b54708}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
color:var(--ink);margin:0 auto;max-width:1180px;padding:24px 32px;line-height:1.5;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid var(--ink);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--mute);margin-bottom:12px}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}
th,td{border:1px solid var(--line);padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f2f4f7;font-weight:600}
td.id,td.num{white-space:nowrap}td.num{text-align:right}
table.mt td.small{font-size:11px;word-break:keep-all}table.mt code{word-break:break-all}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:var(--mute)}
.verdict{border-radius:8px;padding:14px 18px;margin:12px 0 18px;border:2px solid}
.verdict.fit{background:var(--okbg);border-color:var(--ok)}.verdict.blocked{background:var(--upbg);border-color:var(--up)}
.verdict .big{font-size:24px;font-weight:700}
.verdict.fit .big{color:var(--ok)}.verdict.blocked .big{color:var(--up)}
.stats{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.stat{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:120px}
.stat b{display:block;font-size:20px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.b-up{background:var(--upbg);color:var(--up);border:1px solid var(--up)}
.b-down{background:var(--downbg);color:var(--down);border:1px solid var(--down)}
.b-mixed{background:var(--mixbg);color:var(--mix);border:1px solid var(--mix)}
.b-unchanged{background:#f2f4f7;color:var(--mute);border:1px solid var(--line)}
.b-error{background:var(--upbg);color:var(--up);border:1px solid var(--up)}
.b-warning{background:var(--warnbg);color:var(--warn);border:1px solid var(--warn)}
.b-added{background:var(--okbg);color:var(--ok);border:1px solid var(--ok)}
.b-removed{background:#f2f4f7;color:var(--mute);border:1px solid var(--mute)}
tr.up td{background:var(--upbg)}tr.down td{background:var(--downbg)}tr.mixed td{background:var(--mixbg)}
tr.error td{background:var(--upbg)}
ul.tight{margin:4px 0;padding-left:20px}
.small{font-size:12px;color:var(--mute)}
details{margin:4px 0}summary{cursor:pointer}
.sit{display:block}.sit>span{display:block}.sit>span.or{padding-left:1.5em}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}tr,.verdict{break-inside:avoid}
details{display:block}details>summary{display:none}details:not([open])>*{display:block}
a{color:inherit;text-decoration:none}.noprint{display:none}@page{size:A4;margin:14mm}}
"""


def esc(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def situation_html(lines: Sequence[Sequence[str]], end: str = "") -> str:
    """Situations in words laid out (`words.cubes_lines`), then `end` (what follows them on their last
    line: a count, a colon): where they hold a choice, one alternative a line (the alternatives after
    the first indented, each factor on a line of its own), and what comes after on the next line; else
    the words as they run. The words are the text's, escaped; only the lines are the page's."""
    if all(len(factor) == 1 for factor in lines):
        return esc("".join(factor[0] for factor in lines) + end)
    flat = [(line, i > 0) for factor in lines for i, line in enumerate(factor)]
    flat[-1] = (flat[-1][0] + end, flat[-1][1])
    return '<span class="sit">' + "".join(
        ('<span class="or">' if alternative else "<span>") + esc(line) + "</span>" for line, alternative in flat) + "</span>"


def page(title: str, body: str, lang: str, css: str = "") -> str:
    """The page: the shared CSS, then `css`, the rules only this page needs."""
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
            f"<style>{CSS}{css}</style></head><body>\n{body}\n</body></html>\n")
