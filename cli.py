"""The `quanze` command line: parses arguments, reads files, prints. The computing is in `quanze`.

Every command's docstring is its help, with an example. Usage and input errors exit 2 with one line
on standard error and no traceback.
"""
from __future__ import annotations

import json
import os
import sys

import click

from quanze import catalogue as catalogue_mod
from quanze.findings import ERROR, WARNING
from quanze.validate import validate_paths

LANGS = click.Choice(["zh", "en"])


class InputError(click.ClickException):
    """Bad input a user gave: one line, exit 2."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"quanze: error: {self.format_message()}", err=True)


def rules_option(f):
    return click.option("--rules", "rules", type=click.Path(file_okay=False), default=None,
                        help="Folder of catalogue and statutory rules (default: those shipped with quanze).")(f)


def lang_option(f):
    return click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of the text output.")(f)


def load_catalogue_or_fail(rules):
    if rules is not None and not os.path.isdir(rules):
        raise InputError(f"--rules: `{rules}` is not a folder")
    cat, found = catalogue_mod.load_catalogue(rules)
    errors = [f for f in found if f.severity == ERROR]
    if cat is None or errors:
        first = errors[0].format() if errors else "the rules cannot be loaded"
        raise InputError(f"the rules do not validate ({len(errors)} errors; first: {first}); run `quanze validate`")
    return cat


def default_paths() -> list[str]:
    """`rules/` and `lists/` of the working folder, when it is a clone of quanze or looks like one."""
    out = []
    if catalogue_mod.is_rules_folder("rules"):
        out.append("rules")
    if os.path.isdir("lists"):
        out.append("lists")
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail on warnings (publication checks) too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
def validate(paths, strict, fmt, rules):
    """Check lists and rules: schema, codes, values, contradictions, statutory floors.

    PATHS are list folders, folders of lists, or rules folders (default: `rules/` and every list
    under `lists/`). Prints `file:line: code: message` for every finding, then a count.
    Exit 0 clean (warnings allowed unless --strict), 1 findings, 2 usage error.

    \b
    Examples:
      quanze validate
      quanze validate lists/xj-2021 --strict
      quanze validate my-lists/ --rules my-rules/ --format json
    """
    paths = list(paths) or default_paths()
    if rules is not None and not os.path.isdir(rules):
        raise InputError(f"--rules: `{rules}` is not a folder")
    findings, checked = validate_paths(paths, rules)
    findings = sorted(set(findings), key=lambda f: (f.file, f.line, f.code, f.message))
    n_err = sum(f.severity == ERROR for f in findings)
    n_warn = sum(f.severity == WARNING for f in findings)
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            click.echo(f.format())
        what = f"{checked['lists']} list{'s' if checked['lists'] != 1 else ''}"
        click.echo(f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''} "
                   f"({what} and the rules checked)", err=bool(findings))
    sys.exit(1 if n_err or (strict and n_warn) else 0)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
        from quanze.findings import did_you_mean
        raise InputError(f"unknown business line `{line}`{did_you_mean(line, cat.lines)}")
    rows = [m for m in cat.matters.values() if line is None or m.line == line]
    if fmt == "json":
        click.echo(json.dumps([{"code": m.code, "name": m.name.to_json(), "line": m.line, "function": m.function,
                                "basis": list(m.basis)} for m in rows], ensure_ascii=False, indent=1))
        return
    width = max((len(m.code) for m in rows), default=0)
    for m in rows:
        click.echo(f"{m.code:<{width}}  {m.name.get(lang)}  [{cat.lines[m.line].name.get(lang) if m.line in cat.lines else m.line}]")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
        click.echo(json.dumps([{"code": f.code, "type": f.type, "values": list(f.values), "min": f.min, "max": f.max,
                                "question": f.question.to_json()} for f in cat.facts.values()],
                              ensure_ascii=False, indent=1))
        return
    width = max((len(f.code) for f in cat.facts.values()), default=0)
    for f in cat.facts.values():
        kind = f.type + (f"({'|'.join(f.values)})" if f.values else "")
        click.echo(f"{f.code:<{width}}  {kind}\n{'':<{width}}  {f.question.get(lang)}")


def run():
    """Console entry point: no traceback ever reaches a user."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("quanze: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug in quanze, not in the input: say so in one line
        if os.environ.get("QUANZE_DEBUG"):
            raise
        click.echo(f"quanze: internal error: {type(exc).__name__}: {exc} (set QUANZE_DEBUG=1 for a traceback)", err=True)
        sys.exit(2)


if __name__ == "__main__":
    run()
