"""The files of a new list folder (`quanze init`), and of the next version of a list (`init --from`).

A drafting office starts a list from nothing, or its next version from the list in force. A new
folder has to validate as it is (so the first `quanze validate` says "0 errors", not seventy), and it
has to show the drafter what to write: so every part holds an empty `items: []` and, below it, one
example item commented out, in Chinese, taken from the checked sample list (its bases are articles
read in the law), and `cases.yaml` likewise one commented example case. Uncommented, the examples
validate and the case passes: the tests hold them to that.

The next version is the old list's own files, kept as text (comments, order, quoting and every item
id as the drafter wrote them), with only list.yaml's `id`, `effective_from`, `effective_to` and
`supersedes` (and `level`, `issuer` where given) rewritten line by line, and every file's schema line
pointing at the same schema from the new folder. The rewritten list.yaml is parsed again and checked
to say what was meant, so an unusual layout is refused rather than rewritten wrong.

Pure: texts in, texts out. The command line reads the old list and writes the folder whole
(`outfile.write_folder`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from . import dates
from .errors import QuanzeError
from .levels import LEVEL_CHOICES, SPELLINGS, nearest_level
from .model import Text
from .yamlload import LoadError, load_text

ID_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)  # common.schema.json's `id`
SCHEMA_LINE = re.compile(r"^(# yaml-language-server: \$schema=)(\S+)[ \t]*$", re.M)

# The part files of a new list, in the order of the published list, as the sample lists name them.
PART_FILES = {"prosecutor": "prosecutor.yaml", "procurator_general": "procurator-general.yaml",
              "committee": "committee.yaml", "office": "office.yaml"}


class DraftError(QuanzeError):
    """An option or an old list `init` cannot start from: a usage error (one line, exit 2)."""


def level_code(typed: str) -> str:
    """The level code for what a person typed: a code (`grassroots`) or a Chinese name (基层)."""
    word = typed.strip()
    for code, names in SPELLINGS.items():
        if word == code or word in names:
            return code
    near = nearest_level(word)
    hint = Text(f"；是否应为 `{near}`？", f"; did you mean `{near}`?") if near is not None else Text("", "")
    raise DraftError(Text(f"--level：未知层级 `{typed}`", f"--level: unknown level `{typed}`") + hint
                     + Text("（基层、设区的市级、省级、最高）", f" ({LEVEL_CHOICES})"))


def level_name(code: str) -> str:
    return SPELLINGS[code][0]


def is_id(text: str) -> bool:
    return ID_FORM.fullmatch(text) is not None


def check_id(text: str, what: str = "--id") -> str:
    if not is_id(text):
        raise DraftError(Text(f"{what}：`{text}` 不是编号（由 ASCII 字母、数字、`.`、`_`、`-` 组成，以字母或数字开头），"
                              "如 `jd-2024`",
                              f"{what}: `{text}` is not an id (ASCII letters, digits, `.`, `_`, `-`; "
                              "beginning with a letter or a digit), e.g. `jd-2024`"))
    return text


def check_day(text: str, what: str) -> str:
    if dates.day(text) is None:
        raise DraftError(Text(f"{what}：`{text}` 不是日期 YYYY-MM-DD", f"{what}: `{text}` is not a day YYYY-MM-DD"))
    return text


def check_name(text: str, what: str) -> str:
    """A name written into a text of the list: one line, not empty."""
    name = text.strip()
    if not name or any(ch in name for ch in "\r\n") or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise DraftError(Text(f"{what}：请在一行内给出名称，如 某某市某某区人民检察院",
                              f"{what}: give a name on one line, e.g. 某某市某某区人民检察院"))
    return name


def item_prefix(list_id: str) -> str:
    """The prefix of a new list's item ids: its id without a trailing year, in capitals
    (`jd-2024` → `JD`, so `JD-P-0001` stays the item's id in `jd-2025`)."""
    stem = re.sub(r"[-_.]?[0-9]{4}$", "", list_id)
    return (stem or list_id).upper()


def schema_ref(schema_dir: str, folder: str, name: str) -> str:
    """Where a file in `folder` finds schema `name` of `schema_dir` (both absolute): a path relative
    to the folder, as the sample lists write it, unless the two share no folder but the root."""
    target = os.path.join(schema_dir, name)
    if os.path.commonpath([schema_dir, folder]) == os.path.sep:
        return target
    return os.path.relpath(target, folder)


def yaml_scalar(value) -> str:
    """`value` (a string or None) as a YAML scalar that reads back as exactly that string: plain where
    YAML reads it so, else in single quotes. Days are always quoted, as the sample lists write them."""
    if value is None:
        return "null"
    text = str(value)
    if not dates.has_day_form(text):
        try:
            doc = load_text(f"v: {text}\n".encode(), "<value>")
            if not doc.findings and doc.data == {"v": text}:
                return text
        except LoadError:
            pass
    return "'" + text.replace("'", "''") + "'"


# --- a new list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewList:
    """What `quanze init` was told (or asked): the new list's head."""

    id: str
    level: str            # a code of SPELLINGS
    issuer: str           # the issuing procuratorate's Chinese name
    effective_from: str   # YYYY-MM-DD
    effective_to: str | None = None
    title: str | None = None  # default: 〈issuer〉检察委员会和检察官权责清单

    @property
    def full_title(self) -> str:
        return self.title or f"{self.issuer}检察委员会和检察官权责清单"


LIST_YAML = """\
# yaml-language-server: $schema={schema}
# {title}
# 本清单由 list.yaml 和四个部分文件组成；每个部分文件中有一个示例条目（已注释）。
# 文本（title、issuer、responsibility、duties）写中文 zh；英文 en 可不写。
# 写好后：quanze validate 校验，quanze test 运行 cases.yaml 中的用例，quanze audit 发布审查，quanze show 清单文本。

id: {id}
title:
  zh: {title_yaml}
issuer:
  zh: {issuer_yaml}
level: {level}{level_pad}# {level_zh}（可选：grassroots 基层，municipal 设区的市级，provincial 省级，supreme 最高）
effective_from: {effective_from}{from_pad}# 施行日期
effective_to: {effective_to}{to_pad}# 失效日期；null：施行至被新版本取代
parts:
  prosecutor: prosecutor.yaml                   # 检察官权责清单
  procurator_general: procurator-general.yaml   # 检察长权责清单
  committee: committee.yaml                     # 检察委员会权责清单
  office: office.yaml                           # 检察委员会办事机构职责
# 实施上级清单的（如基层院实施省级院的清单），写上级清单的编号；上级清单与本清单放在同一文件夹下：
# conforms_to: xj-2021
# 跨事项的报告义务（某一主体决定的事项，在某些情形下应当向谁报告）写在 reporting 下，见使用文档 list-format.md。
"""

PART_HEAD = """\
# yaml-language-server: $schema={schema}
# {part_zh}：{what}
# 每个条目：id 编号（整份清单内不重复）；matter 事项（写中文名称或代码，见 quanze matters）；{decides}
# when 适用情形（可不写；事实和取值写中文名称或代码，见 quanze facts；是否类事实写 是/否）；{text_keys}
# basis 依据（《法律名称》第某条，见 quanze laws）；note 说明（如修订理由）。
# 示例条目在 items 下方，已注释：删去 `items: []` 中的 `[]` 和示例各行开头的 `# `，再按本院实际改写。

part: {part}
items: []
"""

PART_WORDS = {
    "prosecutor": ("检察官权责清单", "检察官依法自行决定的事项。",
                   "decides 决定主体（可不写：默认检察官）；",
                   "responsibility 责任；"),
    "procurator_general": ("检察长权责清单", "检察长决定的事项；可以授权副检察长的，写 delegable_to。",
                           "decides 决定主体（可不写：默认检察长）；",
                           "responsibility 责任；delegable_to 可授权的主体；"),
    "committee": ("检察委员会权责清单", "检察委员会讨论决定的事项。",
                  "decides 决定主体（可不写：默认检察委员会）；",
                  "responsibility 责任；"),
    "office": ("检察委员会办事机构职责", "办事机构承担的职责；办事机构不作决定，不写 decides。",
               "",
               "duties 职责；"),
}

# One item each, from the sample list xj-2021 (its bases read in the law kept with the project).
EXAMPLES = {
    "prosecutor": """\
# - id: {prefix}-P-0001
#   matter: 不批准逮捕                               # 代码 disapprove_arrest
#   title:
#     zh: 以无社会危险性为由不批准逮捕
#   when: {{fact: 不批准逮捕的理由, eq: 无社会危险性、不需要逮捕}}
#   responsibility:
#     zh: 对决定的事实认定、证据采信和法律适用负责
#   basis:
#   - 《人民检察院刑事诉讼规则》第二百八十五条
#   - 《人民检察院刑事诉讼规则》第四条
#   note: 规则第二百八十五条第三款：以没有犯罪事实、刑事诉讼法第十六条情形或者证据不足为由不批准逮捕的，应当经检察长批准；本项只授权无社会危险性的情形。
""",
    "procurator_general": """\
# - id: {prefix}-G-0001
#   matter: 延长审查起诉期限                         # 代码 extend_review_period
#   title:
#     zh: 延长审查起诉期限
#   delegable_to: [副检察长]                         # 可以授权副检察长决定
#   responsibility:
#     zh: 对延长审查起诉期限决定的事实认定和法律适用负责，对延长事由的认定负责（重大、复杂的案件一个月以内不能作出决定；犯罪嫌疑人认罪认罚、符合速裁程序适用条件的案件，可能判处的有期徒刑超过一年）
#   basis:
#   - 《中华人民共和国刑事诉讼法》第一百七十二条
#   - 《人民检察院刑事诉讼规则》第三百五十一条
#   - 《人民检察院刑事诉讼规则》第四条
#   - 《中华人民共和国人民检察院组织法》第三十四条
""",
    "committee": """\
# - id: {prefix}-C-0001
#   matter: 按照第二审程序提出抗诉                   # 代码 file_second_instance_protest
#   title:
#     zh: 按照第二审程序提出抗诉
#   responsibility:
#     zh: 对决定的事实认定、证据采信和法律适用负责
#   basis:
#   - 《人民检察院刑事诉讼规则》第五百八十五条
#   - 《中华人民共和国刑事诉讼法》第二百二十八条
#   - 《中华人民共和国人民检察院组织法》第三十一条
""",
    "office": """\
# - id: {prefix}-O-0001
#   matter: 提请检察委员会讨论                       # 代码 submit_to_committee
#   title:
#     zh: 审核提请检察委员会讨论的事项
#   duties:
#     zh: 审核提请讨论的案件或者事项是否属于检察委员会议事范围，材料是否齐全、规范；不符合要求的，退回承办部门补充
#   basis:
#   - 《中华人民共和国人民检察院组织法》第三十三条
#   - 《人民检察院刑事诉讼规则》第四条
""",
}

CASES_YAML = """\
# yaml-language-server: $schema={schema}
# 本清单的用例：请求和预期的决定，由 quanze test 运行。expect 只写要核对的键（status、authority、actor_may_decide ……）。
# 示例用例已注释（与检察官部分的示例条目对应）：删去 `cases: []` 中的 `[]` 和示例各行开头的 `# `。

cases: []
# - name: 以无社会危险性为由不批准逮捕，检察官可以自行决定
#   request:
#     matter: 不批准逮捕
#     actor: 检察官
#     facts: {{不批准逮捕的理由: 无社会危险性、不需要逮捕}}
#   expect:
#     status: ok
#     authority: 检察官
#     actor_may_decide: true
"""


def new_list_files(head: NewList, schema_dir: str, folder: str) -> dict[str, str]:
    """The files of a new list folder at `folder` (absolute), by name: list.yaml, the four parts and
    cases.yaml. `schema_dir` is the folder of the schemas quanze validates with."""
    def schema(name):
        return schema_ref(schema_dir, folder, name)

    level_line = f"level: {head.level}"
    to_line = f"effective_to: {yaml_scalar(head.effective_to)}"
    from_line = f"effective_from: {yaml_scalar(head.effective_from)}"
    files = {"list.yaml": LIST_YAML.format(
        schema=schema("list.schema.json"), id=yaml_scalar(head.id), title=head.full_title,
        title_yaml=yaml_scalar(head.full_title), issuer_yaml=yaml_scalar(head.issuer),
        level=head.level, level_pad=" " * max(1, 35 - len(level_line)), level_zh=level_name(head.level),
        effective_from=yaml_scalar(head.effective_from), effective_to=yaml_scalar(head.effective_to),
        to_pad=" " * max(1, 35 - len(to_line)), from_pad=" " * max(1, 35 - len(from_line)))}
    prefix = item_prefix(head.id)
    for part, name in PART_FILES.items():
        part_zh, what, decides, text_keys = PART_WORDS[part]
        files[name] = PART_HEAD.format(schema=schema("part.schema.json"), part_zh=part_zh, what=what,
                                       decides=decides, text_keys=text_keys, part=part) \
            + EXAMPLES[part].format(prefix=prefix)
    files["cases.yaml"] = CASES_YAML.format(schema=schema("cases.schema.json"))
    return files


# --- the next version of a list ----------------------------------------------------------------------


def rewrite_schema_lines(text: str, old_folder: str, new_folder: str) -> str:
    """`text` with its schema line's path (relative to `old_folder`) pointing at the same file from
    `new_folder`; a URL or an absolute path stays as it is."""
    def moved(m):
        ref = m.group(2)
        if "://" in ref or os.path.isabs(ref):
            return m.group(0)
        target = os.path.normpath(os.path.join(old_folder, ref))
        folder = os.path.dirname(target)
        return m.group(1) + schema_ref(folder, new_folder, os.path.basename(target))
    return SCHEMA_LINE.sub(moved, text)


# A top-level key's line: the key at the first column, its value, and a comment after it.
def _key_line(key: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(key)}[ \t]*:(?P<value>[^#\n]*?)(?P<comment>[ \t]+#[^\n]*)?$")


def set_top_keys(text: str, values: dict, after: str = "effective_from") -> str:
    """list.yaml's text with each top-level key of `values` set to its YAML text: the key's line
    (and the lines of a block value under it) replaced, its comment kept where the value was on the
    line; a key not there is added after the block of `after` (or at the end)."""
    lines = text.split("\n")
    for key, value in values.items():
        pattern = _key_line(key)
        found = next(((i, m) for i, m in ((i, pattern.match(line)) for i, line in enumerate(lines)) if m), None)
        if found is None:
            anchor = _key_line(after)
            where = next((i for i, line in enumerate(lines) if anchor.match(line)), None)
            where = len(lines) if where is None else _block_end(lines, where)
            if where == len(lines) and lines and lines[-1] == "":
                where -= 1
            lines[where:where] = [f"{key}: {value}"]
            continue
        at, m = found
        comment = (m.group("comment") or "").lstrip(" \t")
        new = f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}"
        if comment and "\n" not in value:  # kept in its column, as far as the new value allows
            new += " " * max(1, len(lines[at]) - len(comment) - len(new)) + comment
        lines[at:_block_end(lines, at)] = [new]
    return "\n".join(lines)


def _block_end(lines: list, at: int) -> int:
    """The line after the block of the top-level key at `at`: its indented lines (blank lines and
    comments between them included, not after the last)."""
    end = at + 1
    last = at + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() == "" or line.lstrip().startswith("#"):
            end += 1
            continue
        if line[0] in " \t":
            end += 1
            last = end
            continue
        break
    return last


@dataclass(frozen=True)
class NextVersion:
    """What the next version of a list changes in its list.yaml."""

    id: str
    supersedes: str       # the old list's id
    effective_from: str
    effective_to: str | None = None
    level: str | None = None    # None: the old list's
    issuer: str | None = None   # None: the old list's
    title: str | None = None    # None: the old list's


def next_version_files(files: dict[str, str], head: NextVersion, old_folder: str, new_folder: str) -> dict[str, str]:
    """The next version's files from the old list's (`files`: name → text, list.yaml among them):
    every file as it was but for its schema line, and list.yaml with the new head."""
    out = {name: rewrite_schema_lines(text, os.path.dirname(os.path.join(old_folder, name)),
                                      os.path.dirname(os.path.join(new_folder, name)))
           for name, text in files.items()}
    values = {"id": yaml_scalar(head.id), "effective_from": yaml_scalar(head.effective_from),
              "effective_to": yaml_scalar(head.effective_to), "supersedes": yaml_scalar(head.supersedes)}
    if head.level is not None:
        values["level"] = head.level
    if head.issuer is not None:
        values["issuer"] = "\n  zh: " + yaml_scalar(head.issuer)
    if head.title is not None:
        values["title"] = "\n  zh: " + yaml_scalar(head.title)
    text = set_top_keys(out["list.yaml"], values)
    _check_head(text, head)
    out["list.yaml"] = text
    return out


def _check_head(text: str, head: NextVersion) -> None:
    """The rewritten list.yaml says what was meant, or the old one's layout was not understood."""
    try:
        doc = load_text(text.encode("utf-8"), "list.yaml")
        data = doc.data if not doc.findings else None
    except LoadError:
        data = None
    expected = {"id": head.id, "effective_from": head.effective_from, "effective_to": head.effective_to,
                "supersedes": head.supersedes}
    if head.level is not None:
        expected["level"] = head.level
    texts = {k: {"zh": v} for k, v in (("issuer", head.issuer), ("title", head.title)) if v is not None}
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in {**expected, **texts}.items()):
        raise DraftError(Text("--from：旧清单的 list.yaml 不是每行一个顶层键（行首写 `id: …`、`effective_from: …`），"
                              "无法安全地改写其清单头；请复制文件夹，手工编辑 list.yaml",
                              "--from: the old list's list.yaml is not written one top-level key a line "
                              "(`id: …`, `effective_from: …` at the start of a line), so its head cannot be "
                              "rewritten safely; copy the folder and edit list.yaml by hand"))
