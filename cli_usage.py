"""The command line's usage errors in Chinese and English: click's own (an unknown option, a missing
argument, a value its type refuses) and those quanze raises while reading its options.

click words its errors in English once they are raised (`'xml' is not one of 'text', 'json'.`), and
the typed value is no longer in the exception. So the language is read from the arguments before
click parses them (`lang_of`), the types quanze's options use are click's with the value kept where
they refuse it (`Choice`, `IntRange`, `Path`: a `BadValue` that says why in both languages), the
commands keep their parse's context on the error (`QuanzeCommand`), and `usage_text` words each kind
of click error from its parts: the option's names and what the user typed verbatim, the words around
them in the language asked for. The English is click's own message, unchanged.
"""
from __future__ import annotations

import os

import click

from quanze.errors import QuanzeError
from quanze.model import Text

LANGS = ("zh", "en")


def lang_of(args) -> str:
    """The `--lang` the arguments give (`--lang en`, `--lang=en`; the last one, as click takes it),
    read before click parses them, so that an error click finds in them is worded in that language.
    Arguments after `--` are not options; a value that is no language is passed over (click refuses
    it, in the default language). Default: zh."""
    lang = "zh"
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
        if value in LANGS:
            lang = value
    return lang


class Usage(QuanzeError, click.UsageError):  # type: ignore[misc]  # (its `message` is click's, set by QuanzeError)
    """A usage error quanze finds itself in the options of a command (a flag without the option it
    qualifies, an option given twice), in both languages; click attaches the command, for the hint
    that names its `--help`."""

    def __init__(self, message: Text):
        super().__init__(message)


class BadValue(click.BadParameter):
    """A value a type of quanze's options refuses: click's message (`message`, English), the value as
    typed, and why in both languages (`why`)."""

    def __init__(self, refused: click.BadParameter, value, why: Text):
        super().__init__(refused.message, refused.ctx, refused.param, refused.param_hint)
        self.value = value
        self.why = why


class ExtraArguments(click.UsageError):
    """Arguments a command does not take, kept (click's own message says them in English only)."""

    def __init__(self, extra: list, ctx: click.Context):
        shown = " ".join(map(str, extra))
        noun = "argument" if len(extra) == 1 else "arguments"
        super().__init__(f"Got unexpected extra {noun} ({shown})", ctx)
        self.extra = list(extra)


class OptionUsage(click.BadOptionUsage):
    """click's `BadOptionUsage` (a flag given a value, an option without its value), with whether the
    option is a flag: the parser raises it without the command, which knows."""

    def __init__(self, refused: click.BadOptionUsage, flag: bool):
        super().__init__(refused.option_name, refused.message, refused.ctx)
        self.flag = flag


def _shown(value) -> str:
    return os.fsdecode(value) if isinstance(value, (bytes, os.PathLike)) else str(value)


class Choice(click.Choice):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            choices = [str(c) for c in self.choices]
            raise BadValue(exc, value, Text(f"`{_shown(value)}` 不是可选的值（{'、'.join(choices)}）",
                                            exc.message)) from None


class IntRange(click.IntRange):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            try:
                int(value)
            except (TypeError, ValueError):
                why = f"`{_shown(value)}` 不是整数"
            else:
                why = f"`{_shown(value)}` 不在 {self.min} 到 {self.max} 之间"
            raise BadValue(exc, value, Text(why, exc.message)) from None


class Path(click.Path):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            shown = _shown(value)
            if os.path.isdir(value) and not self.dir_okay:
                why = f"`{shown}` 是文件夹，这里需要一个文件"
            elif os.path.lexists(value) and not os.path.isdir(value) and not self.file_okay:
                why = f"`{shown}` 是文件，这里需要一个文件夹"
            elif not os.path.lexists(value):
                why = f"`{shown}` 不存在"
            else:
                why = f"`{shown}` 无法读写"
            raise BadValue(exc, value, Text(why, exc.message)) from None


class QuanzeCommand(click.Command):
    """A command whose parse errors keep what their wording needs: the arguments it does not take,
    and whether an option misused is a flag."""

    def parse_args(self, ctx, args):
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True  # the extra arguments are refused below, kept in the error
        try:
            rest = super().parse_args(ctx, args)
        except click.BadOptionUsage as exc:
            flag = any(isinstance(p, click.Option) and (p.is_flag or p.count) and exc.option_name in p.opts + p.secondary_opts
                       for p in self.params)
            raise OptionUsage(exc, flag) from None
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest


def _names(param) -> str:
    """An option's names as typed (`--jobs`/`-j`), or an argument's metavar (LIST)."""
    if isinstance(param, click.Option):
        return "/".join(f"`{o}`" for o in param.opts)
    return param.human_readable_name if param is not None else ""


def _hint_names(exc: click.BadParameter) -> str:
    if exc.param_hint is not None:
        hints = [exc.param_hint] if isinstance(exc.param_hint, str) else list(exc.param_hint)
        return "/".join(f"`{h}`" for h in hints)
    return _names(exc.param)


def _maybe(possibilities) -> str:
    """`（是否应为 `--log`、`--out`？）`, or nothing."""
    if not possibilities:
        return ""
    return "（是否应为 " + "、".join(f"`{p}`" for p in possibilities) + "？）"


def usage_text(exc: click.UsageError) -> Text:
    """A usage error of the command line in Chinese and English (click's English as it is)."""
    english = exc.format_message()
    if isinstance(exc, Usage):
        return exc.text
    if isinstance(exc, click.NoSuchOption):
        return Text(f"没有选项 `{exc.option_name}`" + _maybe(exc.possibilities), english)
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return Text(f"没有命令 `{exc.command_name}`" + _maybe(exc.possibilities), english)
    if isinstance(exc, OptionUsage):
        zh = f"选项 `{exc.option_name}` 不带取值" if exc.flag else f"选项 `{exc.option_name}` 需要一个取值"
        return Text(zh, english)
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        what = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        return Text(f"缺少{what} {_hint_names(exc)}", english)
    if isinstance(exc, BadValue):
        return Text(f"{_hint_names(exc)} 的取值无效：{exc.why.zh}", english)
    if isinstance(exc, click.BadParameter):
        return Text(f"{_hint_names(exc)} 的取值无效", english)
    if isinstance(exc, ExtraArguments):
        return Text("多余的参数：" + " ".join(f"`{a}`" for a in exc.extra), english)
    if type(exc) is click.UsageError and isinstance(exc.cmd, click.Group):
        return Text("缺少命令（quanze 之后应写出命令，如 `quanze validate`）", english)
    return Text(f"命令行用法有误：{english}", english)


def help_hint(exc: click.UsageError) -> Text:
    """`(see `quanze decide --help`)` after a usage error with a command, in both languages."""
    if exc.ctx is None:
        return Text("", "")
    path = exc.ctx.command_path
    return Text(f"（参见 `{path} --help`）", f" (see `{path} --help`)")
