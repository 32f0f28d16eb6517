"""The `quanze` command line: parses arguments, reads files, prints. The computing is in `quanze`.

Every command's docstring is its help, with an example. Usage and input errors exit 2 with one line
on standard error and no traceback.
"""
from __future__ import annotations

import datetime
import errno
import gc
import getpass
import json
import os
import shutil
import sys
from dataclasses import dataclass
from importlib import resources

try:  # loading click and quanze takes a few tenths of a second: Ctrl-C then ends as it does later
    import click

    from quanze import Library, LoadFailure, catalogue as catalogue_mod
    from quanze import laws as laws_mod
    from quanze.actions import ActionsError, open_actions
    from quanze.audit import AuditUsage, run_audit
    from quanze.batch import TABLE_WIDTH, CheckRun, Checker, estimate_lines, output_format, summarise
    from quanze.cases import load_cases, run_case
    from quanze.decide import Decider
    from quanze.decisionlog import GroupCommitter, LogError, NewEntry, SqliteStore, csv_lines, jsonl_lines, verify
    from quanze.decisionlog.export import time_bound
    from quanze.diff import diff_lists
    from quanze.errors import QuanzeError
    from quanze.findings import suggest
    from quanze import newlist
    from quanze.lists import find_list_folders, is_list_folder, load_list, read_in
    from quanze.outfile import AtomicFile, OutputError, check_new_folder, whole_text_stream, write_folder
    from quanze.present import escape
    from quanze.present.audit_page import audit_html
    from quanze.present.audit_text import audit_text
    from quanze.present.batch import summary_text
    from quanze.present.decision_text import decision_text
    from quanze.present.diff_text import diff_text
    from quanze.present.init_text import init_text, old_errors_note
    from quanze.present import laws as laws_words
    from quanze.present.list_document import render_list
    from quanze.present.revision_note import revision_note_html, revision_note_markdown
    from quanze.present.words import line_name, yes_no
    from quanze.requests import FACTS_OBJECT, RequestError, coerce_fact, fact_code, vote_from_text
    from quanze.validate import unique_paths, validate_paths
    from quanze.yamlload import LoadError, load_file, load_text
    from quanze.messages import LINE, os_error, unknown
    from quanze.model import Text

    from cli_usage import Choice, IntRange, Path, QuanzeCommand, Usage, help_hint, lang_of, usage_text
except KeyboardInterrupt:
    english = "--lang=en" in sys.argv or any(a == "--lang" and b == "en" for a, b in zip(sys.argv, sys.argv[1:]))
    sys.stderr.write("quanze: interrupted\n" if english else "quanze: 已中断\n")  # (`lang_of` is not imported yet)
    sys.exit(130)

LANGS = Choice(["zh", "en"])


class InputError(QuanzeError):
    """Bad input a user gave: one line on standard error, exit 2 (`QuanzeGroup.main` says it in the
    language of `--lang`: the message is a `Text`, and the code, where it has one, goes before it)."""


def about(option: str, error: QuanzeError) -> Text:
    """`--out: why`: an error of another kind about what an option named, in both languages."""
    return Text(f"{option}：", f"{option}: ") + error.text


def found_text(found) -> Text:
    """A finding's line (`file:line: code: message`) in both languages."""
    return Text(found.format("zh"), found.format("en"))


def run_validate(path: str = "") -> Text:
    """`; run `quanze validate PATH``, after an error about lists that do not load."""
    command = f"quanze validate {path}".rstrip()
    return Text(f"；请运行 `{command}`", f"; run `{command}`")


def not_list_folder(what: str, path: str) -> InputError:
    """`LIST: `x` is not a list folder (with list.yaml)`."""
    return InputError(Text(f"{what}：`{path}` 不是清单文件夹（应有 list.yaml）",
                           f"{what}: `{path}` is not a list folder (with list.yaml)"))


def no_such_list_folder(path: str) -> InputError:
    return InputError(Text(f"`{path}`：没有这个清单文件夹", f"`{path}`: no such list folder"))


def not_a_folder(option: str, path: str) -> InputError:
    return InputError(Text(f"{option}：`{path}` 不是文件夹", f"{option}: `{path}` is not a folder"))


def cannot_load(option: str, path: str, first, with_run: bool = False) -> InputError:
    """`--from: `x` cannot be loaded: FIRST FINDING` (and what to run to see every finding)."""
    said = Text(f"{option}：`{path}` 无法载入", f"{option}: `{path}` cannot be loaded")
    if first is not None:
        said = said + Text("：", ": ") + found_text(first)
    return InputError(said + run_validate(path) if with_run else said)


def load_failure(exc: LoadFailure, path: str) -> InputError:
    """Lists (or rules) that do not load: the failure, its first finding, and what to run to see all."""
    first = exc.findings[0] if exc.findings else None
    said = exc.text + (Text("；第一个：", "; first: ") + found_text(first) if first is not None else Text("", ""))
    return InputError(said + run_validate(path))


def echo(text="", **kw) -> None:
    """`click.echo` with what a terminal would act on (control characters, bidi overrides) replaced:
    a list's texts, a case id or a mistyped name are hostile input, printed to a terminal."""
    click.echo(escape.terminal(str(text)), **kw)


def echo_bytes(data: bytes) -> None:
    """Bytes already encoded (a report whose text may hold a lone surrogate, written as its escape)
    on standard output, with a newline."""
    click.echo(data + b"\n", nl=False)


def echo_json(text: str, **kw) -> None:
    """JSON for standard output, with the characters json leaves raw that a terminal may act on escaped."""
    click.echo(escape.json_for_terminal(text), **kw)


def rules_option(f):
    return click.option("--rules", "rules", type=Path(file_okay=False), default=None,
                        help="Folder of catalogue and statutory rules (default: those shipped with quanze).")(f)


def lang_option(f):
    return click.option("--lang", type=LANGS, default="zh", show_default=True,
                        help="Language of the text output and of error messages.")(f)


def out_option(f):
    """`-o/--out FILE`, the same on every command that writes a document."""
    return click.option("--out", "-o", "out_path", type=Path(dir_okay=False), default=None, metavar="FILE",
                        help="Write the output to FILE, atomically (all of it or nothing), not to standard output.")(f)


def list_inputs(*paths) -> list[str]:
    """The YAML files of the list folders at `paths` (list folders or folders of versions; None is
    passed over): what a command that reads those lists must never write its output over."""
    out = []
    for path in paths:
        for folder in find_list_folders(path) if path else ():
            for top, dirs, names in os.walk(folder):  # links to folders are not followed
                out += [os.path.join(top, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
    return out


def write_out(path: str, text: str, inputs=()) -> None:
    """A document written whole to `path` (`outfile.AtomicFile`: a regular file replaced, never a
    file the command reads), or a usage error naming --out. A lone surrogate (a case number read
    from JSON) is written as its escape, as on standard output."""
    try:
        with AtomicFile(path, inputs=[i for i in inputs if i]) as handle:
            handle.write(text.encode("utf-8", "backslashreplace"))
    except OutputError as exc:
        raise InputError(about("--out", exc))


# What `validate` and `test` print themselves (counts, verdicts), in each language of --lang; the
# findings carry their messages in both languages (`Finding.format(lang)`).
RUN_WORDS = {
    "zh": {"pass": "通过", "fail": "失败", "error": "错误：{e}",
           "tally": "通过 {passed}，失败 {failed}",
           "no_cases": "{l}：cases.yaml 中还没有用例（在 cases 下写出请求和预期的决定）",
           "no_file": "{l}：没有 cases.yaml，没有用例可运行"},
    "en": {"pass": "PASS", "fail": "FAIL", "error": "error: {e}",
           "tally": "{passed} passed, {failed} failed",
           "no_cases": "{l}: cases.yaml has no case yet (write requests and their expected decisions under `cases`)",
           "no_file": "{l}: no cases.yaml, no case to run"},
}


# What `audit -o FILE` says on standard error once the report is written: the verdict and where.
WROTE_AUDIT = {"zh": {True: "可以发布；已写入：{output}", False: "不得发布；已写入：{output}"},
               "en": {True: "fit to publish: {output}", False: "blocked: {output}"}}


def validate_count(n_err: int, n_warn: int, n_lists: int, lang: str) -> str:
    """The closing line of `validate`: how many errors and warnings, and what was checked."""
    if lang == "zh":
        return f"错误 {n_err}，警告 {n_warn}（已检查 {n_lists} 份清单和规则）"
    what = f"{n_lists} list{'s' if n_lists != 1 else ''}"
    return f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''} ({what} and the rules checked)"


def load_catalogue_or_fail(rules):
    if rules is not None and not os.path.isdir(rules):
        raise not_a_folder("--rules", rules)
    cat, found = catalogue_mod.load_catalogue(rules)
    errors = found.errors
    if cat is None or errors:
        first = found_text(errors[0]) if errors else Text("规则无法载入", "the rules cannot be loaded")
        raise InputError(Text(f"规则未通过校验（错误 {len(errors)} 个；第一个：", f"the rules do not validate "
                              f"({len(errors)} errors; first: ") + first + Text("）", ")") + run_validate())
    return cat


def default_paths() -> list[str]:
    """`rules/` and `lists/` of the working folder, when it is a clone of quanze or looks like one;
    else the working folder itself when it is a list folder or a folder of lists (a drafter inside
    the list being written)."""
    out = []
    if catalogue_mod.is_rules_folder("rules"):
        out.append("rules")
    if find_list_folders("lists"):
        out.append("lists")
    if not out and find_list_folders("."):
        out.append(".")
    return out


# `validate` without PATHS where there is nothing to check: a usage error, as `test` without a list. (A
# PATH given that holds no list is a finding at that path, `unreadable`, as any path it cannot read.)
NOTHING_TO_CHECK = Text("此处没有清单或规则可供校验（没有 rules/、lists/，当前文件夹也不是清单文件夹）；请给出清单文件夹",
                        "nothing to check here (no rules/, no lists/, and this folder is not a list folder); "
                        "give LIST paths")


class Interrupted(QuanzeError):
    """Ctrl-C inside a command, carried past click, which would print a blank line and "Aborted!" and
    exit 1 (for `decide`, "may not decide")."""


class PipeClosed(QuanzeError):
    """A broken pipe (the reader of standard output went away), carried past click, which would exit 1
    in silence; `run` reports the OSError it holds."""


# The line of an error, before its code and message, in each language (the code stays in the line:
# it is what docs/findings.md explains and what a user searches for), and the other lines `main` says.
ERROR_LEAD = {"zh": "quanze: 错误: ", "en": "quanze: error: "}
INTERRUPTED = {"zh": "quanze: 已中断", "en": "quanze: interrupted"}
ABORTED = Text("已中止", "aborted")


class QuanzeGroup(click.Group):
    """click's group, with every usage error on one line (`quanze: error: ...`, in the language of
    `--lang`) and exit 2, and an interrupt on one line with exit 130."""

    command_class = QuanzeCommand

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except BrokenPipeError as exc:
            raise PipeClosed("broken pipe") from exc

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        lang = lang_of(sys.argv[1:] if args is None else args)
        try:
            super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # `quanze` alone: its help, as click shows it
            exc.show()
            sys.exit(2)
        except click.UsageError as exc:
            echo(ERROR_LEAD[lang] + (usage_text(exc) + help_hint(exc)).get(lang), err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except InputError as exc:
            echo(ERROR_LEAD[lang] + exc.coded(lang), err=True)
            sys.exit(2)
        except Interrupted:
            echo(INTERRUPTED[lang], err=True)
            sys.exit(130)
        except PipeClosed as exc:
            raise exc.__cause__ from None
        except click.exceptions.Abort as exc:  # Ctrl-C while click reads the arguments: click says Abort
            if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
                echo(INTERRUPTED[lang], err=True)
                sys.exit(130)
            echo(ERROR_LEAD[lang] + ABORTED.get(lang), err=True)
            sys.exit(2)
        sys.exit(0)


@click.group(cls=QuanzeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="quanze")
def main():
    """quanze (权责): powers-and-responsibilities lists of a people's procuratorate.

    Validate lists against the law above them, decide who may decide a matter, check batches of case
    actions, and review a revision before publication.

    \b
    Examples:
      quanze validate
      quanze decide lists/xj-2021 --matter return_for_supplementary_investigation \\
          --actor prosecutor --fact prior_supplementary_returns=2
    """


@main.command()
@click.argument("paths", nargs=-1, type=Path())
@click.option("--strict", is_flag=True, help="Fail on warnings (publication checks) too, and ask for the English of every text.")
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@rules_option
def validate(paths, strict, fmt, lang, rules):
    """Check lists and rules: schema, codes, values, contradictions, statutory floors.

    PATHS are list folders, folders of lists, or rules folders (default: `rules/` and every list
    under `lists/`, else the working folder when it is a list). Prints `file:line: code: message`
    for every finding, then a count. Exit 0 clean (warnings allowed unless --strict), 1 findings,
    2 usage error (among them: nothing to check).

    \b
    Examples:
      quanze validate
      quanze validate lists/xj-2021 --strict
      quanze validate my-lists/ --rules my-rules/ --format json
      quanze validate --lang en
    """
    paths = list(paths) or default_paths()
    if rules is not None and not os.path.isdir(rules):
        raise not_a_folder("--rules", rules)
    if not paths:
        raise InputError(NOTHING_TO_CHECK)
    findings, checked = validate_paths(paths, rules, english=strict)
    findings = findings.ordered()
    n_err, n_warn = len(findings.errors), len(findings.warnings)
    if fmt == "json":
        echo_json(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            echo(f.format(lang))
        echo(validate_count(n_err, n_warn, checked["lists"], lang), err=bool(findings))
    sys.exit(1 if n_err or (strict and n_warn) else 0)


@main.command()
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@click.option("--line", "line", default=None, help="Only the matters of this business line.")
@lang_option
@rules_option
def matters(fmt, line, lang, rules):
    """Print the catalogue of matters (code, name, business line, function).

    \b
    Examples:
      quanze matters --lang en
      quanze matters --line civil --format json
    """
    cat = load_catalogue_or_fail(rules)
    if line is not None and line not in cat.lines:
        raise InputError(Text("--line：", "--line: ") + unknown(LINE, line) + suggest(line, cat.lines))
    rows = [m for m in cat.matters.values() if line is None or m.line == line]
    if fmt == "json":
        echo_json(json.dumps([{"code": m.code, "name": m.name.to_json(), "line": m.line, "function": m.function,
                                "basis": list(m.basis)} for m in rows], ensure_ascii=False, indent=1))
        return
    width = max((len(m.code) for m in rows), default=0)
    for m in rows:
        echo(f"{m.code:<{width}}  {m.name.get(lang)}  [{line_name(cat, m.line, lang)}]")


@main.command()
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@rules_option
def facts(fmt, lang, rules):
    """Print the facts conditions may read, with their type and question.

    \b
    Examples:
      quanze facts
      quanze facts --format json
    """
    cat = load_catalogue_or_fail(rules)
    if fmt == "json":
        echo_json(json.dumps([{"code": f.code, "type": f.type, "values": list(f.values), "min": f.min, "max": f.max,
                                "question": f.question.to_json()} for f in cat.facts.values()],
                              ensure_ascii=False, indent=1))
        return
    width = max((len(f.code) for f in cat.facts.values()), default=0)
    for f in cat.facts.values():
        kind = f.type + (f"({'|'.join(f.values)})" if f.values else "")
        echo(f"{f.code:<{width}}  {kind}\n{'':<{width}}  {f.question.get(lang)}")


def load_library(path, rules):
    """A Library from LIST (a list folder or a folder of versions), or exit 2 with the first error."""
    if not os.path.exists(path):
        raise no_such_list_folder(path)
    try:
        return Library.load(path, rules=rules, catalogue=load_catalogue_or_fail(rules))
    except LoadFailure as exc:
        raise load_failure(exc, path)


def read_data_file(path: str):
    """A JSON or YAML file given on the command line (`-` for standard input)."""
    try:
        doc = load_text(sys.stdin.buffer.read(), "<stdin>") if path == "-" else load_file(path)
    except LoadError as exc:
        raise InputError(found_text(exc.finding))
    if doc.findings:
        raise InputError(found_text(doc.findings[0]))
    return doc.data


@main.command()
@click.argument("list_path", metavar="LIST", type=Path())
@click.option("--matter", "-m", required=True, help="The matter to decide (see `quanze matters`).")
@click.option("--actor", "-a", default=None, help="Who asks: prosecutor, department_head, deputy_procurator_general, ...")
@click.option("--fact", "-f", "fact_pairs", multiple=True, metavar="K=V", help="A fact, typed by the catalogue (repeatable).")
@click.option("--facts", "facts_file", type=Path(), default=None, help="Facts from a JSON or YAML file (`-` for stdin).")
@click.option("--on", "on", default=None, metavar="DATE", help="Use the list in force on this day (YYYY-MM-DD).")
@click.option("--vote", "vote", default=None, metavar="N:P:Y", help="Committee vote: members:present:in favour, e.g. 11:7:5.")
@click.option("--pg-dissents", is_flag=True, help="With --vote: the procurator-general dissents from the majority.")
@click.option("--decided-by", "decided_by", default=None, help="Who actually decided (auditing a past decision).")
@click.option("--case", "case", default=None, help="A case id carried into the decision.")
@click.option("--ask", is_flag=True, help="Ask for missing facts one by one, then decide.")
@click.option("--log", "log_path", type=Path(dir_okay=False), default=None, metavar="FILE",
              help="Append the decision to this decision log (SQLite; created if absent) before printing it.")
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@out_option
@lang_option
@rules_option
def decide(list_path, matter, actor, fact_pairs, facts_file, on, vote, pg_dissents, decided_by, case, ask, log_path,
           fmt, out_path, lang, rules):
    """Decide one matter: who must decide it, through whom, what must be reported, and why.

    LIST is a list folder, or a folder of versions (with --on choosing the one in force).
    Exit 0 when the actor may decide (or no actor is given), 1 when not (it must go up, the law
    forbids it, or facts are missing), 2 for bad input.

    \b
    Examples:
      quanze decide lists/xj-2021 -m return_for_supplementary_investigation \\
          -a prosecutor -f prior_supplementary_returns=2
      quanze decide lists --on 2020-06-01 -m extend_review_period -a prosecutor \\
          -f case_is_major_or_complex=是 --lang en
      quanze decide lists/xj-2021 -m file_second_instance_protest --vote 11:7:6 --format json
      quanze decide lists -m extend_review_period -a prosecutor --log decisions.sqlite
    """
    if pg_dissents and vote is None:
        raise Usage(Text("--pg-dissents 记录检察长对检察委员会表决的异议：请用 --vote N:P:Y 给出表决",
                         "--pg-dissents records a dissent from a committee vote: give the vote with --vote N:P:Y"))
    lib = load_library(list_path, rules)
    try:
        given = [fact_code(lib.catalogue, pair.partition("=")[0].strip()) for pair in fact_pairs if "=" in pair]
        repeated = sorted({k for k in given if given.count(k) > 1})
        if repeated:
            n = given.count(repeated[0])
            raise Usage(Text(f"--fact {repeated[0]} 给出了 {n} 次；每个事实只给一次",
                             f"--fact {repeated[0]} is given {n} times; give each fact once"))
        facts = {}
        if facts_file:
            data = read_data_file(facts_file)
            if not isinstance(data, dict):
                raise RequestError("bad-request", Text(f"{facts_file}：", f"{facts_file}: ") + FACTS_OBJECT)
            facts.update((fact_code(lib.catalogue, k), v) for k, v in data.items())
        for pair in fact_pairs:
            key, sep, value = pair.partition("=")
            if not sep:
                raise RequestError("bad-request", Text(f"--fact 的格式是 K=V（事实=取值），不能是 `{pair}`",
                                                       f"--fact takes K=V, not `{pair}`"))
            code = fact_code(lib.catalogue, key.strip())
            facts[code] = coerce_fact(lib.catalogue, code, value)
        raw = {"matter": matter, "facts": facts}
        for key, value in (("actor", actor), ("on", on), ("decided_by", decided_by), ("case", case)):
            if value is not None:
                raw[key] = value
        if vote is not None:
            v = vote_from_text(vote, pg_dissents)
            raw["vote"] = {"members": v.members, "present": v.present, "in_favour": v.in_favour,
                           "procurator_general_dissents": v.procurator_general_dissents}
        decision = lib.decide(raw)
        unknown: set = set()  # facts the user does not know: asked once, then left open
        while ask and decision.status == "undetermined":
            asking = [m.fact for m in decision.missing_facts if m.fact not in unknown]
            if not asking:
                break
            for code in asking:
                answer = _ask(lib.catalogue, code, lang)
                if answer is None:
                    unknown.add(code)
                else:
                    facts[code] = answer
            raw["facts"] = facts
            decision = lib.decide(raw)
    except RequestError as exc:
        raise InputError(exc.text, exc.code)
    body = decision.to_json()
    if log_path is not None:
        body["log_id"] = _log_decision(log_path, raw, decision.to_json())
    if fmt == "json":
        text = json.dumps(body, ensure_ascii=False, indent=1)
    else:
        text = decision_text(decision, lib.catalogue, lang)
        if log_path is not None:
            text += f"\n  log: {log_path} #{body['log_id']}"
    if out_path is not None:
        write_out(out_path, text + "\n", inputs=[facts_file, log_path, *list_inputs(list_path)])
    elif fmt == "json":
        echo_json(text)
    else:
        echo(text)
    sys.exit(0 if actor is None or decision.actor_may_decide else 1)


def _log_decision(path: str, request: dict, decision: dict) -> int:
    """Append one decision to the log at `path` (durable when this returns); its entry number."""
    try:
        store = SqliteStore(path)
        try:
            return store.append([NewEntry(_cli_caller(), request, decision)])[0].seq
        finally:
            store.close()
    except LogError as exc:
        raise InputError(exc.text, exc.code)


def _cli_caller() -> str:
    """The caller a decision logged from the command line records: the user's login name."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


# What a user answers to `--ask` when they do not know: the fact stays open (an empty answer too).
UNKNOWN_ANSWERS = {"zh": "不知道", "en": "unknown"}
TYPE_WORDS = {"zh": {"integer": "整数", "date": "日期 YYYY-MM-DD", "string": "文字"},
              "en": {"integer": "a whole number", "date": "a date YYYY-MM-DD", "string": "text"}}
DONT_KNOW = frozenset({"", "不知道", "不清楚", "不确定", "未知", "unknown", "?", "？", "don't know", "dont know"})


def _ask(catalogue, code, lang):
    """Ask one fact's question on the terminal until the answer fits the fact's type: a value by its
    code or its Chinese name (判决 for `judgment`), or "不知道"/"unknown"/nothing, which leaves the fact
    open (None). The end of standard input before an answer is bad input (exit 2), not a decision
    that cannot be taken."""
    fact = catalogue.facts[code]
    if fact.type == "boolean":
        choices = [yes_no(True, lang), yes_no(False, lang)]
    elif fact.type == "enum":
        labels = fact.value_labels
        choices = [labels[v].zh if lang == "zh" and labels.get(v) is not None else v for v in fact.values]
    else:
        choices = [TYPE_WORDS[lang].get(fact.type, fact.type)]
    hint = "|".join(choices + [UNKNOWN_ANSWERS[lang]])
    while True:
        echo(f"{fact.question.get(lang)} [{hint}]: ", nl=False, err=True)
        try:
            answer = input()
        except EOFError:
            echo(err=True)
            raise InputError(Text(f"--ask：事实 `{code}` 尚未回答，标准输入已经结束",
                                  f"--ask: standard input ended before fact `{code}` was answered")) from None
        if answer.strip().lower() in DONT_KNOW:
            return None
        try:
            return coerce_fact(catalogue, code, answer)
        except RequestError as exc:
            echo(f"  {exc.says(lang)}", err=True)



@main.command("test")
@click.argument("paths", nargs=-1, type=Path())
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="Print failures and the count only.")
@lang_option
@rules_option
def test_cmd(paths, fmt, quiet, lang, rules):
    """Run lists' own expected decisions (`cases.yaml`) and report like a test runner.

    PATHS are list folders or folders of lists (default: every list under `lists/`).
    Exit 0 when every case passes, 1 otherwise, 2 for bad usage.

    \b
    Examples:
      quanze test
      quanze test lists/xj-2021 -q --lang en
    """
    paths = list(paths) or (["lists"] if os.path.isdir("lists") else [])
    folders = unique_paths([f for p in paths for f in find_list_folders(p)])
    if not folders:
        raise InputError(Text("在 " + "、".join(paths) + " 下没有找到清单文件夹", f"no list folders found under {', '.join(paths)}")
                         if paths else Text("没有找到清单文件夹；请给出清单文件夹", "no list folders found; give LIST paths"))
    words = RUN_WORDS[lang]
    passed = failed = 0
    report = []
    for folder in folders:
        lib = load_library(folder, rules)
        cases, found = load_cases(folder, lib.catalogue)
        for f in found.errors:
            echo(f.format(lang), err=True)
            failed += 1
        if not cases and not found.errors and fmt == "text":  # nothing to run is not a failure: say so
            has_file = os.path.lexists(os.path.join(folder, "cases.yaml"))
            echo(words["no_cases" if has_file else "no_file"].format(l=folder))
        for case in cases:
            outcome = run_case(lib, case)
            passed += outcome.passed
            failed += not outcome.passed
            report.append({"list": folder, "name": case.name, "source": str(case.source), "passed": outcome.passed,
                           "error": outcome.error,
                           "mismatches": [{"path": p, "expected": e, "got": g} for p, e, g in outcome.mismatches],
                           **({"lacking": [m["fact"] for m in outcome.decision["missing_facts"]]} if outcome.hint else {})})
            if fmt == "text" and (not quiet or not outcome.passed):
                echo(f"{words['pass'] if outcome.passed else words['fail']}  {case.name}  ({case.source})")
                if outcome.error_text:
                    echo("      " + words["error"].format(e=outcome.error_text.get(lang)))
                for said in outcome.mismatch_texts:
                    echo("      " + said.get(lang))
                if outcome.hint:
                    echo("      " + outcome.hint.get(lang))
    if fmt == "json":
        echo_json(json.dumps(report, ensure_ascii=False, indent=1))
    echo(words["tally"].format(passed=passed, failed=failed), err=fmt == "json")
    sys.exit(0 if failed == 0 else 1)


@main.command()
@click.argument("list_path", metavar="LIST", type=Path())
@click.argument("actions", metavar="ACTIONS", type=Path(allow_dash=True))
@click.option("--format", "fmt", type=Choice(["jsonl", "csv", "text"]), default=None,
              help="Output: jsonl (default when not a terminal), csv (UTF-8 with BOM), text (default on a terminal).")
@click.option("--input-format", "input_format", type=Choice(["jsonl", "csv"]), default=None,
              help="Format of ACTIONS (default: from the extension; `-` is JSON Lines).")
@click.option("--only-flagged", is_flag=True, help="Print only flagged decisions and bad lines.")
@click.option("--out", "-o", "out_path", type=Path(dir_okay=False), default=None, metavar="FILE",
              help="Write the output to FILE, atomically (all of it or nothing); a .csv name chooses CSV.")
@click.option("--jobs", "-j", type=IntRange(1, 64), default=1, show_default=True,
              help="Check in this many processes (the output keeps the input order).")
@click.option("--no-cache", is_flag=True, help="Decide every line through durable-rules, without the memo.")
@click.option("--progress/--no-progress", default=None, help="A progress bar (default: on a terminal, for large files).")
@lang_option
@rules_option
def check(list_path, actions, fmt, input_format, only_flagged, out_path, jobs, no_cache, progress, lang, rules):
    """Check a batch of case actions, or audit past decisions: a decision per line, flags and a summary.

    ACTIONS is JSON Lines (one request a line: matter, actor, facts, on, vote, decided_by, case) or
    CSV (columns case, matter, actor, decided_by, on, vote as M:P:Y, and one column per fact; an empty
    cell is an absent fact); `-` reads standard input. LIST is a list folder, or a folder of versions:
    each line's `on` picks the list in force that day. Every input line (a CSV's header excepted) gets
    one output line, in input order: its decision with `line` and `flags` (escalate, forbidden,
    uncovered, undetermined, violation, obligation), or for a bad line `{"line", "error", "case"}`.
    Blank lines are bad lines (`empty-line`). The table and the CSV are in Chinese by default (with
    --lang en, the codes, as in the JSON Lines); the CSV names the list version that decided each line
    (list, digest). The table fits the terminal (120 columns when piped; COLUMNS sets the width). The
    summary goes to standard error (after the table for --format text). With --out, an interrupted
    or failed run leaves no file.
    Exit 0 nothing flagged and no bad line, 1 something flagged or a bad line, 2 usage error,
    130 interrupted (the output written so far is whole lines).

    \b
    Examples:
      quanze check lists/xj-2021 actions.jsonl --only-flagged
      quanze check lists decisions-2021.csv --format csv --out audit.csv
      cat actions.jsonl | quanze check lists/xj-2021 - --jobs 2 > decisions.jsonl
    """
    lib = load_library(list_path, rules)
    try:
        records = open_actions(actions, lib.catalogue, input_format, sys.stdin.buffer)
    except ActionsError as exc:
        raise InputError(exc.text)
    stdout = sys.stdout.buffer
    fmt = output_format(out_path, fmt, sys.stdout.isatty())
    try:
        run = CheckRun(Checker(lib, cache=not no_cache), records, fmt, out_path, stdout, only_flagged, jobs,
                       inputs=[actions, *list_inputs(list_path)], lang=lang, width=table_width(out_path))
    except OutputError as exc:
        raise InputError(about("--out", exc))
    bar = None
    if (progress if progress is not None else sys.stderr.isatty()) and actions != "-":
        try:
            estimate = estimate_lines(actions)
            if estimate > 5000 or progress:
                bar = click.progressbar(length=estimate, label="核查中" if lang == "zh" else "checking", file=sys.stderr)
        except OSError:
            bar = None
    try:
        if bar is not None:
            with bar:
                stats, interrupted = run.run(bar.update)
        else:
            stats, interrupted = run.run()
    except ActionsError as exc:
        raise InputError(exc.text)
    summary = summarise(stats)
    text = summary_text(summary, lib.catalogue, lang, interrupted)
    if fmt == "text" and out_path is None and not interrupted:
        stdout.write((text + "\n").encode())
        stdout.flush()
    else:
        echo(text, err=True)
    if interrupted:
        sys.exit(130)
    sys.exit(1 if summary["flagged"] or summary["bad_lines"] else 0)


def table_width(out_path) -> int:
    """The width of `check`'s table: `COLUMNS` where set, else the terminal's where standard output is
    one, else (piped, or written to a file) a fixed TABLE_WIDTH."""
    if "COLUMNS" in os.environ or (out_path is None and sys.stdout.isatty()):
        return shutil.get_terminal_size((TABLE_WIDTH, 24)).columns
    return TABLE_WIDTH


def _load_one_list(path, rules, what="LIST"):
    """One list folder, loaded for diff/show (errors exit 2: run `quanze audit` to see them placed)."""
    if not os.path.isdir(path) or not is_list_folder(path):
        raise not_list_folder(what, path)
    lib = load_library(path, rules)
    return lib, lib.lists[0]


@main.command()
@click.argument("old_path", metavar="OLD", type=Path())
@click.argument("new_path", metavar="NEW", type=Path())
@click.option("--format", "fmt", type=Choice(["text", "json", "markdown"]), default="text", show_default=True)
@out_option
@lang_option
@rules_option
def diff(old_path, new_path, fmt, out_path, lang, rules):
    """What changed between two versions of a list, item by item and matter by matter.

    Items are matched by id, then by matter and equivalent condition; per matter, every situation
    is decided under both lists and the required authority went up, down, mixed or unchanged.
    Exit 0.

    \b
    Examples:
      quanze diff lists/xj-2019 lists/xj-2021
      quanze diff lists/xj-2019 lists/xj-2021 --format json --lang en
    """
    _, old = _load_one_list(old_path, rules, "OLD")
    lib, new = _load_one_list(new_path, rules, "NEW")
    d = diff_lists(old, new, lib.catalogue, Decider(old, lib.catalogue), Decider(new, lib.catalogue))
    if fmt == "json":
        out = d.to_json()
        out["impact"] = d.impact.to_json()
        text = json.dumps(out, ensure_ascii=False, indent=1)
    else:
        text = diff_text(d, lang, markdown=fmt == "markdown")
    if out_path is not None:
        write_out(out_path, text + "\n", inputs=list_inputs(old_path, new_path))
    elif fmt == "json":
        echo_json(text)
    else:
        echo(text)


@main.command()
@click.argument("new_path", metavar="NEW", type=Path())
@click.option("--against", "against", type=Path(), default=None,
              help="The list in force to compare with (default: the sibling list NEW supersedes).")
@click.option("--replay", "actions", type=Path(), default=None, metavar="ACTIONS",
              help="A JSON Lines or CSV file of requests (as `quanze check` reads) to decide under both lists.")
@click.option("--format", "fmt", type=Choice(["text", "json", "markdown", "html"]), default="text", show_default=True)
@click.option("--out", "-o", "--output", "output", type=Path(dir_okay=False), default=None, metavar="FILE",
              help="Write the report to FILE, atomically (all of it or nothing); `--output` is the same.")
@click.option("--revision-note", "note", is_flag=True, default=False,
              help="Write the revision's explanatory note (修订说明) instead of the review: Markdown, or HTML with --format html.")
@lang_option
@rules_option
def audit(new_path, against, actions, fmt, output, note, lang, rules):
    """Review a list before publication: verdict first, then findings, diff, exact impact, replay.

    Runs the publication checks of rules/publication.yaml. Exit 0 fit to publish, 1 blocked
    (errors, each with file:line), 2 bad usage. With --revision-note, the explanatory note of the
    revision (修订说明) from the same review: what changes matter by matter, in which situations,
    and why (the items' `note`); the exit status is the review's.

    \b
    Examples:
      quanze audit lists/xj-2021
      quanze audit lists/xj-2021 --against lists/xj-2019 --format html -o audit.html
      quanze audit lists/xj-2021 --replay actions.jsonl --format json
      quanze audit lists/xj-2021 --revision-note -o 修订说明.md
      quanze audit lists/xj-2021 --revision-note --format html -o 修订说明.html
    """
    if note and fmt == "json":
        raise InputError(Text("--revision-note 写成 Markdown（--format markdown，默认）或 HTML（--format html），"
                              "不写成 JSON：要数据，请用 --format json 而不加 --revision-note",
                              "--revision-note is written as Markdown (--format markdown, the default) or HTML "
                              "(--format html), not JSON: for the data, use --format json without --revision-note"))
    cat = load_catalogue_or_fail(rules)
    try:
        a = run_audit(new_path, cat, against, actions)
    except (AuditUsage, ActionsError) as exc:
        raise InputError(exc.text)
    if note and a.diff is None:
        raise InputError(Text("--revision-note 需要一份用来比较的清单：请给出 --against OLD（NEW 没有写明它取代的清单）",
                              "--revision-note needs a list to compare with: give --against OLD "
                              "(NEW names no list it supersedes)"))
    if note:
        report = a.to_json()
        text = revision_note_html(report, cat, lang) if fmt == "html" else revision_note_markdown(report, cat, lang)
    elif fmt == "json":
        text = json.dumps(a.to_json(), ensure_ascii=False, indent=1)
    elif fmt == "html":
        text = audit_html(a.to_json(), cat, lang, new_path)
    else:
        text = audit_text(a, lang, markdown=fmt == "markdown")
    # A case number read from JSON may hold a lone surrogate (`"\ud800"`), which UTF-8 cannot encode:
    # written as its escape, which in the JSON report reads back as the same string.
    if output:
        siblings = os.path.dirname(os.path.normpath(new_path)) if against is None else None
        write_out(output, text + "\n", inputs=[actions, *list_inputs(new_path, against, siblings)])
        echo(WROTE_AUDIT[lang][a.fit].format(output=output), err=True)
    else:
        echo_bytes(escape.terminal(text).encode("utf-8", "backslashreplace"))
    sys.exit(0 if a.fit else 1)


@main.command()
@click.argument("list_path", metavar="LIST", type=Path())
@click.option("--on", "on", default=None, metavar="DATE", help="With a folder of lists: the version in force that day.")
@click.option("--format", "fmt", type=Choice(["text", "markdown", "html"]), default="text", show_default=True)
@out_option
@lang_option
@rules_option
def show(list_path, on, fmt, out_path, lang, rules):
    """The list as the published document: per part and business line, a table of items.

    Conditions are given in plain words (from the facts' labels), in Chinese or English. Exit 0.

    \b
    Examples:
      quanze show lists/xj-2021
      quanze show lists/xj-2021 --format html --lang en > xj-2021.html
    """
    lib = load_library(list_path, rules)
    try:
        lst = lib.pick(on)
    except RequestError as exc:
        raise InputError(exc.text, exc.code)
    text = render_list(lst, lib.catalogue, lang, fmt)
    if out_path is not None:
        write_out(out_path, text, inputs=list_inputs(list_path))
    else:
        echo(text, nl=False)


@main.command()
@click.argument("folder", metavar="DIR", type=Path())
@click.option("--level", default=None, metavar="L",
              help="The issuer's level: 基层, 设区的市级 (市级), 省级, 最高, or grassroots, municipal, provincial, supreme.")
@click.option("--issuer", default=None, metavar="NAME", help="The issuing procuratorate's name, in Chinese.")
@click.option("--from", "from_path", type=Path(), default=None, metavar="LIST",
              help="Start the next version of this list folder: its files and item ids, `supersedes` set to its id.")
@click.option("--id", "list_id", default=None, help="The new list's id (default: DIR's name, when it is an id).")
@click.option("--title", default=None,
              help="The title, in Chinese (default: 〈issuer〉检察委员会和检察官权责清单; with --from, the old list's).")
@click.option("--effective-from", "effective_from", default=None, metavar="DATE",
              help="The day the list takes effect (YYYY-MM-DD); asked when not given.")
@click.option("--effective-to", "effective_to", default=None, metavar="DATE",
              help="The last day it is in force (default: none, in force until a new version supersedes it).")
@lang_option
@rules_option
def init(folder, level, issuer, from_path, list_id, title, effective_from, effective_to, lang, rules):
    """Start a list: a new list folder, or the next version of a list (--from).

    A new folder holds list.yaml (the head: id, title, issuer, level, dates, parts), the four part
    files, each with one example item commented out, and cases.yaml with one example case commented
    out; each file's first line names its JSON Schema for your editor. It validates as it is. With
    --from LIST, DIR gets LIST's files as they are written (items, ids, comments, cases), with a new
    id and dates and `supersedes` set to LIST's id; LIST is left as it was. DIR must not exist, or be
    an empty folder; nothing is overwritten. Exit 0 made, 2 usage.

    \b
    Examples:
      quanze init lists/jd-2024 --level 基层 --issuer 某某市某某区人民检察院 --effective-from 2024-03-01
      quanze init lists/jd-2025 --from lists/jd-2024 --effective-from 2025-01-01
      quanze audit lists/jd-2025 --against lists/jd-2024
    """
    try:
        if level is not None:
            level = newlist.level_code(level)
        if issuer is not None:
            issuer = newlist.check_name(issuer, "--issuer")
        if title is not None:
            title = newlist.check_name(title, "--title")
        for given, what in ((effective_from, "--effective-from"), (effective_to, "--effective-to")):
            if given is not None:
                newlist.check_day(given, what)
        if list_id is not None:
            newlist.check_id(list_id)
    except newlist.DraftError as exc:
        raise InputError(exc.text)
    if from_path is None and (level is None or issuer is None):
        raise Usage(Text("新建清单需要 --level 和 --issuer（或用 --from LIST 起草一份清单的下一版本）",
                         "a new list needs --level and --issuer (or --from LIST for the next version of a list)"))
    try:
        check_new_folder(folder)  # before any question is asked; checked again as it is written
    except OutputError as exc:
        raise InputError(exc.text)
    old = _old_list(from_path, rules) if from_path is not None else None
    if list_id is None:
        name = os.path.basename(os.path.normpath(folder))
        list_id = name if newlist.is_id(name) else _ask_value(
            lang, "清单编号（id，如 jd-2024）" if lang == "zh" else "the list's id (e.g. jd-2024)", "--id",
            newlist.check_id)
    if old is not None and list_id == old.id:
        raise InputError(Text(f"--id：新版本需要自己的编号；`{list_id}` 是 {from_path} 的编号（请给出 --id）",
                              f"--id: the new version needs an id of its own; `{list_id}` is {from_path}'s (give --id)"))
    after = old.effective_from if old is not None else None

    def later_day(text):
        newlist.check_day(text, "--effective-from")
        if after is not None and text <= after:
            raise newlist.DraftError(Text(f"--effective-from：{text} 不晚于 {after}（{old.id} 的施行日期）",
                                          f"--effective-from: {text} is not after {after}, the day {old.id} took effect"))
        return text
    if effective_from is None:
        effective_from = _ask_value(lang, "施行日期（YYYY-MM-DD）" if lang == "zh" else "the day it takes effect (YYYY-MM-DD)",
                                    "--effective-from", later_day)
    try:
        later_day(effective_from)
    except newlist.DraftError as exc:
        raise InputError(exc.text)
    if effective_to is not None and effective_to < effective_from:
        raise InputError(Text(f"--effective-to：{effective_to} 早于 --effective-from {effective_from}",
                              f"--effective-to: {effective_to} is before --effective-from {effective_from}"))
    schemas_dir = str(resources.files("quanze.schema_files"))
    where = os.path.abspath(folder)
    try:
        if old is None:
            head = newlist.NewList(list_id, level, issuer, effective_from, effective_to, title)
            files = newlist.new_list_files(head, schemas_dir, where)
        else:
            files = newlist.next_version_files(old.files, newlist.NextVersion(
                list_id, old.id, effective_from, effective_to, level, issuer, title), os.path.abspath(from_path), where)
    except newlist.DraftError as exc:
        raise InputError(exc.text)
    try:
        write_folder(folder, {name: text.encode("utf-8") for name, text in files.items()})
    except OutputError as exc:
        raise InputError(exc.text)
    if old is None:
        echo(init_text(folder, list_id, newlist.level_name(level), level, issuer, effective_from, list(files), lang))
    else:
        echo(init_text(folder, list_id, "", "", "", effective_from, list(files), lang, old.id, from_path, old.items))
        if old.errors:
            echo(old_errors_note(lang, old.id, old.errors, folder), err=True)


@dataclass(frozen=True)
class _OldList:
    """The list `init --from` starts from: its id, the day it took effect, its files' texts (by
    their names in its folder), how many items and errors it has."""

    id: str
    effective_from: str
    files: dict
    items: int
    errors: int


def _old_list(path, rules) -> _OldList:
    """LIST of `init --from`, read as a list is read (only its own files, inside its folder)."""
    if not os.path.isdir(path) or not is_list_folder(path):
        raise not_list_folder("--from", path)
    lst, found = load_list(path, load_catalogue_or_fail(rules))
    if lst is None:
        raise cannot_load("--from", path, next(iter(found.errors), None), with_run=True)
    if not isinstance(lst.effective_from, str) or newlist.dates.day(lst.effective_from) is None:
        raise InputError(Text(f"--from：`{path}` 没有有效的 effective_from（施行日期）",
                              f"--from: `{path}` has no valid effective_from") + run_validate(path))
    try:
        head, _ = read_in(path, "list.yaml")
        names = ["list.yaml"] + [rel for rel in head.data["parts"].values()]
        if os.path.lexists(os.path.join(path, "cases.yaml")):
            names.append("cases.yaml")
        files = {}
        for rel in names:
            raw = read_in(path, rel)[1]
            try:
                files[os.path.normpath(rel)] = raw.decode("utf-8")
            except UnicodeDecodeError:
                where = os.path.join(path, rel)
                raise InputError(Text(f"--from：`{where}` 不是 UTF-8 文本", f"--from: `{where}` is not UTF-8 text")) from None
    except LoadError as exc:
        raise InputError(Text("--from：", "--from: ") + found_text(exc.finding))
    return _OldList(lst.id, lst.effective_from, files, sum(len(p.items) for p in lst.parts), len(found.errors))


def _ask_value(lang, question, option, check):
    """Ask `question` on the terminal until `check` takes the answer; the end of standard input
    before an answer is bad input, naming the `option` that would have given it."""
    while True:
        echo(f"{question}：" if lang == "zh" else f"{question}: ", nl=False, err=True)
        try:
            answer = input().strip()
        except EOFError:
            echo(err=True)
            raise InputError(Text(f"{option}：没有给出，而标准输入在回答之前已经结束",
                                  f"{option}: not given, and standard input ended before it was answered")) from None
        try:
            return check(answer)
        except newlist.DraftError as exc:
            echo(f"  {exc.says(lang)}", err=True)


@main.command()
@click.argument("lists_path", metavar="LISTS", type=Path())
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only without --tokens).")
@click.option("--port", type=IntRange(0, 65535), default=8321, show_default=True)
@click.option("--log", "log_path", type=Path(dir_okay=False), default="quanze-log.sqlite", show_default=True,
              metavar="FILE", help="The decision log (SQLite; created if absent). Every decision served is appended.")
@click.option("--log-sync", type=Choice(["full", "normal"]), default="full", show_default=True,
              help="full: every commit of the log is synced to disk before decisions are answered; normal: "
                   "committed, not synced (survives the process being killed, not a power loss).")
@click.option("--tokens", "tokens_path", type=Path(dir_okay=False), default=None, metavar="FILE",
              help="Bearer tokens: one `name: sha256-of-token` a line. Required to listen beyond loopback.")
@lang_option
@rules_option
def serve(lists_path, host, port, log_path, log_sync, tokens_path, lang, rules):
    """Serve the HTTP API, its docs (/docs, /openapi.json) and the prosecutor's page (/).

    LISTS is a list folder or a folder of versions. Every decision served is appended to the
    decision log before it is answered. SIGHUP reloads the lists (a request in flight finishes on
    the version it started with); SIGINT or SIGTERM stops the server.

    \b
    Examples:
      quanze serve lists
      quanze serve lists --port 9000 --log /var/lib/quanze/log.sqlite
      quanze serve lists --host 0.0.0.0 --tokens tokens.txt
      # a token's line for tokens.txt:
      printf 'case-system: %s\\n' "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
    """
    try:  # deferred: the serving stack is the optional extra quanze[serve], needed by this command only
        from quanze.server.auth import TokenFileError, parse_tokens
        from quanze.server.run import ServeError, check_host, serve as run_server
        from quanze.server.versions import Served
    except ImportError as exc:
        raise InputError(Text(f"quanze serve 需要 Starlette 和 uvicorn：pip install 'quanze[serve]'（{exc.name or exc}）",
                              f"quanze serve needs Starlette and uvicorn: pip install 'quanze[serve]' ({exc})"))
    tokens = None
    if tokens_path is not None:
        try:
            with open(tokens_path, encoding="utf-8") as handle:
                tokens = parse_tokens(handle.read(), tokens_path)
        except TokenFileError as exc:
            raise InputError(exc.place_text())
    try:
        check_host(host, tokens)
    except ServeError as exc:
        raise InputError(exc.text)
    if rules is not None:
        load_catalogue_or_fail(rules)
    if not os.path.exists(lists_path):
        raise no_such_list_folder(lists_path)
    try:
        served = Served(lists_path, rules)
    except LoadFailure as exc:
        raise load_failure(exc, lists_path)
    try:
        log = GroupCommitter(SqliteStore(log_path, sync=log_sync))
    except LogError as exc:
        raise InputError(exc.text, exc.code)
    try:
        run_server(served, log, host, port, tokens)
    except ServeError as exc:
        raise InputError(exc.text)


@main.command("log")
@click.argument("args", nargs=-1, metavar="[verify] FILE")
@click.option("--case", "case", default=None, help="Only this case's entries.")
@click.option("--since", default=None, metavar="WHEN", help="From this day or UTC time (YYYY-MM-DD[THH:MM:SSZ]).")
@click.option("--until", default=None, metavar="WHEN", help="To this day (inclusive) or UTC time (exclusive).")
@click.option("--format", "fmt", type=Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@out_option
@lang_option
def log_cmd(args, case, since, until, fmt, out_path, lang):
    """Export the decision log, or verify its hash chain.

    `quanze log FILE` prints the entries (JSON Lines, or CSV with formula-like cells quoted with a
    leading '); `quanze log verify FILE` recomputes the chain and names the first entry that does
    not match. Exit 0 (intact), 1 (broken), 2 (bad usage or no such log).

    \b
    Examples:
      quanze log quanze-log.sqlite --case '（2021）检6号'
      quanze log quanze-log.sqlite --since 2026-01-01 --format csv > decisions.csv
      quanze log verify quanze-log.sqlite
    """
    if len(args) == 2 and args[0] == "verify":
        verifying, path = True, args[1]
    elif len(args) == 1:
        verifying, path = False, args[0]
    else:
        raise Usage(Text("请给出 FILE（导出）或 `verify FILE`（核验）", "give FILE (to export) or `verify FILE`"))
    try:
        store = SqliteStore(path, create=False)
        try:
            if verifying:
                verdict = verify(store.entries())
                if verdict.intact:
                    echo(f"{path}: intact: {verdict.entries} entr{'y' if verdict.entries == 1 else 'ies'}, head {verdict.head[:16] or '-'}")
                else:
                    echo(f"{path}: broken at entry {verdict.broken}: {verdict.reason} "
                               f"({verdict.entries} entries before it verify)")
                sys.exit(0 if verdict.intact else 1)
            query = {"case": case, "since": time_bound(since, "--since"), "until": time_bound(until, "--until", True)}
            chunks = (csv_lines if fmt == "csv" else jsonl_lines)(store.entries(**query))
            if out_path is None:
                out = sys.stdout.buffer
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
            else:
                _export_log(out_path, chunks, path)
        finally:
            store.close()
    except LogError as exc:
        raise InputError(exc.text, exc.code)


@main.command()
@click.argument("citation", metavar="[CITATION]", required=False)
@click.option("--list", "list_path", type=Path(), default=None, metavar="LIST",
              help="A list folder: add its own documents (`laws:` of its list.yaml), and check CITATION on the day it takes effect.")
@click.option("--on", "on", default=None, metavar="DATE",
              help="With CITATION: check that the document was in force on this day (YYYY-MM-DD).")
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@out_option
@lang_option
@rules_option
def laws(citation, list_path, on, fmt, out_path, lang, rules):
    """The register of legal documents every basis is checked against; or check one CITATION.

    Without CITATION, prints each document: id, title, kind, the days it is in force, what
    superseded it, its number of articles, its short names. With CITATION (《TITLE》第N条, optionally
    第M款, 第K项), checks it as `quanze validate` checks a basis, and prints the article where the
    register names a file holding the document's text. Exit 0 (a valid citation, even one not in
    force that day), 1 a citation refused, 2 usage.

    \b
    Examples:
      quanze laws
      quanze laws --format json --lang en
      quanze laws '《中华人民共和国刑事诉讼法》第一百七十五条'
      quanze laws '《人民检察院民事诉讼监督规则（试行）》第五十三条' --on 2022-01-01
      quanze laws --list lists/xj-2021
    """
    cat = load_catalogue_or_fail(rules)
    register, lst = cat.laws, None
    if list_path is not None:
        if not os.path.isdir(list_path) or not is_list_folder(list_path):
            raise not_list_folder("--list", list_path)
        lst, found = load_list(list_path, cat)
        if lst is None:
            raise cannot_load("--list", list_path, next(iter(found.errors), None))
        register = register.with_local(lst.laws)
    if on is not None and not _is_day(on):
        raise InputError(Text(f"--on：`{on}` 不是日期 YYYY-MM-DD", f"--on: `{on}` is not a date YYYY-MM-DD"))
    if citation is None:
        if on is not None:
            raise InputError(Text("--on 需要一个要核对的引用（CITATION）", "--on needs a CITATION to check"))
        if fmt == "json":
            _print(json.dumps([law.to_json() for law in register.laws], ensure_ascii=False, indent=1) + "\n", out_path, list_inputs(list_path))
        else:
            _print(laws_words.register_text(register, lang), out_path, list_inputs(list_path))
        return
    day = on or (lst.effective_from if lst is not None else None)
    when = laws_mod.takes_effect(lst.id) if lst is not None and on is None else None
    exam = laws_mod.examine(citation, register, day, when)
    if fmt == "json":
        _print(json.dumps(exam.to_json(), ensure_ascii=False, indent=1) + "\n", out_path, list_inputs(list_path))
    else:
        _print(laws_words.citation_text(exam, register, lang), out_path, list_inputs(list_path))
    sys.exit(0 if exam.valid else 1)


def _print(text: str, out_path, inputs=()) -> None:
    """`text` (ending with its newline) to standard output as it is, or whole to --out."""
    if out_path is None:
        click.echo(text, nl=False)
    else:
        write_out(out_path, text, inputs)


def _export_log(out_path: str, chunks, log_path: str) -> None:
    """The log's entries written whole to --out (never over the log itself)."""
    try:
        with AtomicFile(out_path, inputs=[log_path]) as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OutputError as exc:
        raise InputError(about("--out", exc))


def _is_day(text: str) -> bool:
    """`YYYY-MM-DD` naming a day that exists."""
    try:
        return len(text) == 10 and datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


class ClosedStream:
    """Standard input or output when quanze was started with it closed (`>&-`, `<&-`; Python then
    sets it to None): any use of it is an OSError, which `run` reports in one line with exit 2,
    rather than an AttributeError, or output that silently goes nowhere."""

    closed = True  # the interpreter's flush at exit passes a closed stream by

    def __init__(self, which: str):
        self.which = which

    def __getattr__(self, name):
        error = OSError(errno.EBADF, f"standard {self.which} is closed")
        error.zh = f"标准{'输出' if self.which == 'output' else '输入'}已关闭"  # type: ignore[attr-defined]  # (`run` says it)
        raise error


def run():
    """Console entry point: no traceback ever reaches a user, and no output is cut short unsaid."""
    if sys.stdout is None:
        sys.stdout = ClosedStream("output")
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout = whole_text_stream(sys.stdout)  # every write whole, or an error naming where it went
    if sys.stdin is None:
        sys.stdin = ClosedStream("input")
    try:
        try:
            main(standalone_mode=True)
        finally:
            if not getattr(sys.stdout, "closed", True):
                sys.stdout.flush()  # what is still buffered: failing to write it fails the command
    except SystemExit:
        # The process ends here. What the command built (the memo of `check`: millions of objects after
        # a million lines) is kept out of the interpreter's final collection, which would walk all of
        # it to free what the end of the process frees anyway: 0.5 s at a million lines.
        gc.freeze()
        raise
    except KeyboardInterrupt:
        echo(INTERRUPTED[lang_of(sys.argv[1:])], err=True)
        sys.exit(130)
    except OSError as exc:  # the machine's, not quanze's: a full disk, a folder not writable, stdout closed
        if exc.errno == errno.EPIPE and exc.filename is None:
            # what is still buffered for standard output would fail again, at exit, with a traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            exc.filename = "standard output"
        lang = lang_of(sys.argv[1:])
        where = f" `{exc.filename}`" if exc.filename else ""
        # the name quanze gives standard output where it has no file name (`whole_text_stream`), in Chinese
        where_zh = where.replace("`standard output", "`标准输出")
        said = Text(f"无法读写{where_zh}：{getattr(exc, 'zh', None) or os_error(exc)}",
                    f"cannot read or write{where}: {exc.strerror or exc}")
        echo(ERROR_LEAD[lang] + said.get(lang), err=True)
        sys.exit(2)
    except Exception as exc:  # a bug in quanze, not in the input: say so in one line
        if os.environ.get("QUANZE_DEBUG"):
            raise
        said = Text(f"quanze: 内部错误: {type(exc).__name__}: {exc}（设置 QUANZE_DEBUG=1 可看到回溯）",
                    f"quanze: internal error: {type(exc).__name__}: {exc} (set QUANZE_DEBUG=1 for a traceback)")
        echo(said.get(lang_of(sys.argv[1:])), err=True)
        sys.exit(2)


if __name__ == "__main__":
    run()
