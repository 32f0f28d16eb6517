"""The user documentation (README.md and docs/) held against the code, in the spirit of sqlite-utils'
documentation tests, both ways:

- everything the documentation names exists: every `quanze COMMAND` and its options, every option
  written in backticks, every finding, error and publication-check code;
- everything that exists is documented: every command of `cli.main` has its section in
  docs/commands.md naming each of its options, arguments and choices; every code of the registry
  `quanze.codes.CODES` has its row in docs/findings.md, in the table of each of its kinds (finding,
  request error, publication check, server or log error), and a finding's or a check's row gives the registry's severity.

Each check is a function from the documents' text to a list of problems, each problem saying what is
missing and where to add it; the last tests feed the checks a document with a line deleted or a
name misspelt, so that it is seen that they can fail.
"""
from __future__ import annotations

import re
from pathlib import Path

import click

import cli
from quanze.codes import CHECK, FINDING, LOG, REQUEST, SERVER, codes_of

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COMMANDS_MD = DOCS / "commands.md"
FINDINGS_MD = DOCS / "findings.md"
# Headings of docs/findings.md under which each family's table stands.
FINDINGS_HEADING = "## Finding codes"
ERRORS_HEADING = "## Request and batch-line errors"
CHECKS_HEADING = "## Publication checks"
SERVER_HEADING = "## Server and decision-log errors"

# A fenced code block, an inline code span, a `quanze COMMAND` invocation, an option, a code.
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`([^`\n]+)`")
INVOCATION = re.compile(r"(?<![\w.-])quanze[ \t]+(.*)")
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
FINDING_CODE = re.compile(r"[a-z]+(?:-[a-z]+)+")
CHECK_ID = re.compile(r"PUB(?:-[A-Z]+)+")
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|", re.M)
# Where an invocation's own words end: a pipe into another program (`| head -60`, not
# `[--progress | --no-progress]`), `;`, `&&`, a redirection or a comment.
INVOCATION_END = re.compile(r"\|\s+(?!-)|;|&&|\s>|\s#")


def user_docs() -> dict[str, str]:
    """README.md and every page of docs/, by their path in the repository."""
    paths = [ROOT / "README.md"] + sorted(DOCS.glob("*.md"))
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


def commands() -> dict[str, click.Command]:
    return dict(cli.main.commands)


def option_names(command: click.Command) -> list[str]:
    """Every spelling of every option of a command (`-m`, `--matter`, `--progress`, `--no-progress`)."""
    return [name for p in command.params if isinstance(p, click.Option) for name in p.opts + p.secondary_opts]


def all_option_names() -> set[str]:
    names = set(option_names(cli.main)) | {"-h", "--help"}
    for command in commands().values():
        names |= set(option_names(command))
    return names


def other_program_options() -> set[str]:
    """Options of bench/generate.py, which the README shows beside quanze's."""
    source = (ROOT / "bench" / "generate.py").read_text(encoding="utf-8")
    calls = " ".join(re.findall(r"add_argument\(([^)]*)\)", source))
    return set(re.findall(r"\"(--?[a-z][\w-]*)\"", calls))


def code_of(text: str) -> tuple[list[str], list[str]]:
    """The code in a document: (lines of its fenced blocks, its inline spans outside them). A line
    ending with a backslash is joined to the next, as the shell reads it."""
    blocks = [b.replace("\\\n", " ") for b in FENCE.findall(text)]
    return [line for b in blocks for line in b.splitlines()], SPAN.findall(FENCE.sub("", text))


def invocations(text: str) -> list[tuple[str | None, list[str]]]:
    """Each `quanze ...` written in a document's code: (the command, or None for options of quanze
    itself, such as `quanze --help`; the options given to it)."""
    lines, spans = code_of(text)
    out = []
    for piece in lines + spans:
        for match in INVOCATION.finditer(piece):
            before = piece[:match.start()].split()
            if before and before[-1] in ("from", "import"):  # Python: `from quanze import Library`
                continue
            words = INVOCATION_END.split(match.group(1).split("`")[0])[0]  # a span may end inside a line
            first = words.split()[0] if words.split() else ""
            command = None if not first or first.startswith("-") else first
            out.append((command, OPTION.findall(words)))
    return out


def sections(text: str) -> dict[str, str]:
    """The `## quanze COMMAND` sections of docs/commands.md: command -> its text."""
    out: dict[str, str] = {}
    parts = re.split(r"^## ", text, flags=re.M)
    for part in parts[1:]:
        heading, _, body = part.partition("\n")
        m = re.fullmatch(r"quanze ([a-z][\w-]*)", heading.strip())
        if m:
            out[m.group(1)] = body
    return out


def section(text: str, heading: str) -> str:
    """The text under one `## ` heading of a document, up to the next."""
    start = text.find(heading + "\n") if heading + "\n" in text else text.find(heading + " ")
    if start < 0:
        return ""
    rest = text[start + len(heading):]
    end = re.search(r"^## ", rest, re.M)
    return rest[:end.start()] if end else rest


def mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def option_heads(body: str) -> list[str]:
    """The heads of a section's option list: of each line `- `...``, the part before its first `: `
    outside backticks (`- `-m`, `--matter MATTER` (required)` of `- `-m`, `--matter MATTER` (required): the
    matter ...`). An option is documented when a head names it, with its choices."""
    heads = []
    for line in body.splitlines():
        if not line.startswith("- `"):
            continue
        ticks = 0
        for i, ch in enumerate(line):
            ticks += ch == "`"
            if ch == ":" and ticks % 2 == 0 and line[i + 1:i + 2] in (" ", ""):
                line = line[:i]
                break
        heads.append(line)
    return heads


# --- the checks -----------------------------------------------------------------------------------

def undocumented_commands(commands_md: str) -> list[str]:
    """Commands of cli.py without their section, or their row, in docs/commands.md."""
    problems = []
    found = sections(commands_md)
    for name in commands():
        if name not in found:
            problems.append(f"`quanze {name}` (cli.py) has no section in docs/commands.md: add a heading "
                            f"`## quanze {name}` with its usage, every option, its exit statuses and an example")
        if f"[`quanze {name}`](#quanze-{name})" not in commands_md:
            problems.append(f"`quanze {name}` (cli.py) has no row in the table at the top of docs/commands.md: "
                            f"add \"| [`quanze {name}`](#quanze-{name}) | what it does | exit status |\"")
    return problems


def undocumented_options(commands_md: str) -> list[str]:
    """Options, choices and arguments of each command that its section of docs/commands.md omits."""
    problems = []
    found = sections(commands_md)
    for name, command in commands().items():
        if name not in found:
            continue  # reported by undocumented_commands
        body = found[name]
        heads = option_heads(body)
        where = f"the section `## quanze {name}` of docs/commands.md"
        for param in command.params:
            if isinstance(param, click.Argument):
                if not mentions(body, param.human_readable_name):
                    problems.append(f"argument {param.human_readable_name} of `quanze {name}` (cli.py) is not "
                                    f"described in {where}: say what it is")
                continue
            if not isinstance(param, click.Option):
                continue
            for opt in param.opts + param.secondary_opts:
                if not any(mentions(head, opt) for head in heads):
                    problems.append(f"option `{opt}` of `quanze {name}` (cli.py) is not in the option list of {where}: "
                                    f"add a line \"- `{opt}`: what it does (default …)\"")
            if isinstance(param.type, click.Choice):
                own = [head for head in heads if any(mentions(head, opt) for opt in param.opts)]
                for choice in param.type.choices:
                    if not any(mentions(head, choice) for head in own):
                        problems.append(f"`{param.opts[-1]} {choice}` of `quanze {name}` (cli.py) is not in the "
                                        f"option list of {where}: name `{choice}` in the line of `{param.opts[-1]}`, "
                                        f"as `{param.opts[-1]} {'|'.join(param.type.choices)}`")
    for opt in option_names(cli.main) + ["-h", "--help"]:
        if not mentions(commands_md, opt):
            problems.append(f"option `{opt}` of `quanze` itself is not in docs/commands.md: add it to "
                            "\"What every command shares\"")
    return problems


def undocumented_codes(findings_md: str) -> list[str]:
    """Codes of the registry without their row in docs/findings.md, in the table of each of their kinds
    (a finding code under "Finding codes", a request error code under "Request and batch-line errors",
    a publication check under "Publication checks", a server or log code under "Server and decision-log
    errors"), and rows of a table that are no code of its kinds; a finding's or a check's row gives
    the registry's severity."""
    problems = []
    tables = (((FINDING,), FINDINGS_HEADING, "finding code", "what it means"),
              ((REQUEST,), ERRORS_HEADING, "request error code", None),
              ((CHECK,), CHECKS_HEADING, "publication check", "when it fails"),
              ((SERVER, LOG), SERVER_HEADING, "server or log error code", None))
    for kinds, heading, what, last in tables:
        rows = dict(ROW.findall(section(findings_md, heading)))
        codes = {code: entry for kind in kinds for code, entry in codes_of(kind).items()}
        for code, entry in codes.items():
            row = f"| `{code}` | {entry.severity} | {last} |" if last else f"| `{code}` | where it arises | what it means |"
            if code not in rows:
                problems.append(f"{what} `{code}` (quanze.codes.CODES, {entry.severity}) is not in docs/findings.md: "
                                f"add a row \"{row}\" under \"{heading}\"")
            elif last and rows[code] != entry.severity:
                problems.append(f"{what} `{code}` is a{'n' if entry.severity == 'error' else ''} {entry.severity} in "
                                f"quanze.codes.CODES but `{rows[code]}` in docs/findings.md: correct its row")
        for code in rows:
            if code not in codes:
                problems.append(f"docs/findings.md has a row for `{code}` under \"{heading}\", which is not a "
                                f"{what} of quanze.codes.CODES: remove the row or register the code")
    return problems


def unknown_names(docs: dict[str, str]) -> list[str]:
    """Commands, options and codes the documents name that do not exist."""
    problems = []
    known = commands()
    every_option = all_option_names()
    group_options = set(option_names(cli.main)) | {"-h", "--help"}
    other = other_program_options()
    codes = {code for kind in (FINDING, REQUEST, SERVER, LOG) for code in codes_of(kind)}
    checks = set(codes_of(CHECK))
    for path, text in docs.items():
        for command, options in invocations(text):
            if command is not None and command not in known:
                problems.append(f"{path} names `quanze {command}`, which cli.py does not have "
                                f"(commands: {', '.join(sorted(known))})")
                continue
            allowed = group_options if command is None else set(option_names(known[command])) | {"-h", "--help"}
            for opt in options:
                if opt not in allowed:
                    problems.append(f"{path} gives `{opt}` to `quanze{' ' + command if command else ''}`, "
                                    "which has no such option")
        _, spans = code_of(text)
        for span in spans:
            span = span.strip()
            first = span.split()[0] if span.split() else ""
            if OPTION.fullmatch(first) and first not in every_option and first not in other:
                problems.append(f"{path} names the option `{first}`, which no quanze command has")
            if FINDING_CODE.fullmatch(span) and span not in codes:
                problems.append(f"{path} names the code `{span}`, which is no finding, request, server or log "
                                "code of quanze.codes.CODES")
            if CHECK_ID.fullmatch(span) and span not in checks:
                problems.append(f"{path} names the publication check `{span}`, which quanze.codes.CODES lacks")
    return problems


# --- the tests ------------------------------------------------------------------------------------

def test_every_command_is_documented():
    problems = undocumented_commands(COMMANDS_MD.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_every_option_of_every_command_is_documented():
    problems = undocumented_options(COMMANDS_MD.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_every_code_is_documented():
    problems = undocumented_codes(FINDINGS_MD.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_every_name_the_documentation_uses_exists():
    problems = unknown_names(user_docs())
    assert not problems, "\n".join(problems)


def test_no_user_document_points_to_the_developers_contract():
    """Users of quanze do not have DESIGN.md: the README, docs/ and the command line's help stand alone."""
    texts = dict(user_docs())
    texts["cli.py"] = (ROOT / "cli.py").read_text(encoding="utf-8")
    assert [path for path, text in texts.items() if "DESIGN.md" in text] == []


def test_the_scans_find_what_they_check():
    """The scans are not vacuous: the documents hold invocations, spans and table rows of every kind,
    and the registry has codes of every kind."""
    docs = user_docs()
    named = [c for text in docs.values() for c, _ in invocations(text)]
    assert len(named) >= 30 and {"decide", "check", "validate"} <= set(named)
    assert sum(len(code_of(text)[1]) for text in docs.values()) >= 500
    assert {"bad-json", "unknown-matter", "empty-line"} <= set(codes_of(REQUEST))
    assert {"shadowed", "unknown-matter"} <= set(codes_of(FINDING)) and "PUB-COUNTS" in codes_of(CHECK)
    findings_md = FINDINGS_MD.read_text(encoding="utf-8")
    for heading in (FINDINGS_HEADING, ERRORS_HEADING, CHECKS_HEADING, SERVER_HEADING):
        assert len(ROW.findall(section(findings_md, heading))) >= 5, heading
    assert {"--seed", "--bad"} <= other_program_options()


# --- the checks can fail --------------------------------------------------------------------------

def _without_line(text: str, needle: str) -> str:
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if needle not in line]
    assert len(kept) == len(lines) - 1, f"{needle!r} should be on exactly one line"
    return "".join(kept)


def test_a_deleted_option_line_is_reported():
    text = _without_line(COMMANDS_MD.read_text(encoding="utf-8"), "- `--strict`")
    assert any("option `--strict` of `quanze validate`" in p for p in undocumented_options(text))


def test_a_deleted_choice_is_reported():
    text = COMMANDS_MD.read_text(encoding="utf-8").replace("`--format text|markdown|html`", "`--format text|html`")
    assert any("`--format markdown` of `quanze show`" in p for p in undocumented_options(text))


def test_a_deleted_section_is_reported():
    text = COMMANDS_MD.read_text(encoding="utf-8").replace("## quanze facts\n", "## The facts\n")
    assert any("`quanze facts` (cli.py) has no section" in p for p in undocumented_commands(text))


def test_a_deleted_code_row_is_reported():
    text = _without_line(FINDINGS_MD.read_text(encoding="utf-8"), "| `shadowed` |")
    assert any("finding code `shadowed`" in p for p in undocumented_codes(text))
    text = _without_line(FINDINGS_MD.read_text(encoding="utf-8"), "| `bad-json` |")
    assert any("request error code `bad-json`" in p for p in undocumented_codes(text))
    text = _without_line(FINDINGS_MD.read_text(encoding="utf-8"), "| `PUB-COUNTS` |")
    assert any("publication check `PUB-COUNTS`" in p for p in undocumented_codes(text))


def test_a_wrong_severity_is_reported():
    text = FINDINGS_MD.read_text(encoding="utf-8").replace("| `shadowed` | warning |", "| `shadowed` | error |")
    assert any("`shadowed` is a warning" in p for p in undocumented_codes(text))


def test_names_that_do_not_exist_are_reported():
    docs = {"README.md": "Run `quanze serves lists` or `quanze decide LIST --matters M`; "
                         "`--verbose` shows more; the code `unknown-mater`; the check `PUB-NOTHING`.\n"
                         "```sh\nquanze validate --strictly\nfrom quanze import Library\n"
                         "quanze audit lists/xj-2021 | head -60\n```\n"}
    problems = unknown_names(docs)
    assert any("`quanze serves`" in p for p in problems)
    assert any("`--matters` to `quanze decide`" in p for p in problems)
    assert any("the option `--verbose`" in p for p in problems)
    assert any("the code `unknown-mater`" in p for p in problems)
    assert any("`PUB-NOTHING`" in p for p in problems)
    assert any("`--strictly` to `quanze validate`" in p for p in problems)
    assert not any("import" in p or "head" in p or "-60" in p for p in problems)
