"""Reading YAML safely, keeping the line of every node.

The external form of lists is YAML written by people; everything reported about it must point at a
line. PyYAML's safe loader builds nodes that carry marks; we convert the node tree ourselves so that
we can (a) record the line of each key and item, (b) reject duplicate keys, which PyYAML silently
overwrites, (c) bound alias expansion (a "billion laughs" document composes into a few nodes but
expands to billions) and nesting depth, and (d) keep dates as the strings they were written as.
Nothing here constructs Python objects from tags: only the safe scalar types exist.
"""
from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import QuanzeError
from .findings import Finding, finding, pointer
from .messages import os_error
from .model import Text
from .place import Place

MAX_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 64
MAX_NODES = 250_000
MAX_DEPTH = 64
# The only tags a document may carry (explicitly or by resolution): plain data, nothing constructed.
PLAIN_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class LoadError(QuanzeError):
    """A document that cannot be read at all; carries its finding."""

    def __init__(self, found: Finding):
        super().__init__(found.message, found.code, found.place)
        self.finding = found

    def __str__(self) -> str:
        return self.finding.format()


class _Loader(yaml.SafeLoader):
    """Safe loader that counts aliases while composing and leaves dates as strings."""

    yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _Refused("alias-limit", mark.line + 1,
                               Text(f"YAML 别名超过 {MAX_ALIASES} 个；超出上限的别名不予接受",
                                    f"more than {MAX_ALIASES} YAML aliases; aliases are refused beyond that bound"))
        return super().compose_node(parent, index)


class _CLoader(yaml.CSafeLoader):
    """libyaml's parser and composer (C), with `_Loader`'s resolvers: about ten times faster. It
    cannot count aliases while composing, and its composer recurses in C without Python's depth
    guard, so `load_text` uses it only for documents with no alias and little flow nesting, and
    falls back to `_Loader` on any error, so that messages are the same either way."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


FLOW_BRACKETS_FOR_C = 1000  # at most this many `[` and `{` in a document read by `_CLoader`


class _Refused(QuanzeError):
    """A node refused while converting; `load_text` gives it the document's name (a LoadError)."""

    code: str  # always given
    text: Text  # always given

    def __init__(self, code: str, line: int, message: Text):
        super().__init__(message, code)
        self.line = line


@dataclass
class Document:
    """A YAML document as plain data, with the line of each key and item (1-based)."""

    file: str
    data: Any  # plain data as parsed: its shape is for the schema to check
    lines: dict[tuple, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def line(self, path: tuple | list = ()) -> int:
        """The line of the node at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def place(self, path=()) -> Place:
        """The place of the node at `path`: its file and line (the source of an item, a rule, a case)."""
        return Place(self.file, self.line(path))

    def at(self, path, code: str, message: Text) -> Finding:
        """A finding placed at `path` in this document."""
        return finding(Place(self.file, self.line(path), pointer(path)), code, message)


def display_path(path: str) -> str:
    """A path as a user should read it: relative to the working folder when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def load_file(path: str, name: str | None = None, inside: str | None = None) -> Document:
    """Read and parse one YAML file; raises LoadError for a file that cannot be read at all.
    `inside`: the folder the file must really lie in (see `read_file`)."""
    name = name or display_path(path)
    return load_text(read_file(path, name, inside), name)


def read_file(path: str, name: str, inside: str | None = None) -> bytes:
    """The bytes of a YAML file, at most the size bound; LoadError when it cannot be read.

    With `inside` (a folder: a list's), the file must be a regular file whose real path, every link
    resolved, lies in that folder's real path: a list's `list.yaml` or `cases.yaml` that links to
    `/etc/passwd` is refused, not read, and a FIFO or a device is never opened for reading (one
    would block, the other never end). Without it (a file named on the command line) a pipe is read.
    """
    if inside is not None:
        root = os.path.realpath(inside)
        real = os.path.realpath(path)
        if os.path.commonpath([root, real]) != root:
            raise LoadError(finding(Place(name), "outside-folder",
                                    Text(f"是指向清单文件夹之外 `{display_path(real)}` 的链接；未读取",
                                         f"is a link to `{display_path(real)}`, outside the list's folder; not read")))
        kind = file_kind(real)
        if kind is not None:
            raise LoadError(finding(Place(name), "unreadable", kind + Text("；未读取", "; not read")))
    try:
        # O_NONBLOCK: a FIFO put in place after the look above opens without waiting, and fstat says so
        fd = os.open(path, os.O_RDONLY | (os.O_NONBLOCK if inside is not None else 0))
        with open(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if inside is not None and not stat.S_ISREG(info.st_mode):
                raise LoadError(finding(Place(name), "unreadable", _kind(info.st_mode) + Text("；未读取", "; not read")))
            if stat.S_ISDIR(info.st_mode):
                raise LoadError(finding(Place(name), "unreadable", _kind(info.st_mode)))
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                raise LoadError(finding(Place(name), "too-large", Text(
                    f"文件大小为 {info.st_size / 1048576:.1f} MiB；超过 {MAX_BYTES // 1048576} MiB 的文档不予接受",
                    f"the file is {info.st_size / 1048576:.1f} MiB; documents over "
                    f"{MAX_BYTES // 1048576} MiB are refused")))
            if inside is not None:
                os.set_blocking(handle.fileno(), True)
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        what = MISSING if exc.errno == errno.ENOENT else Text(f"无法读取：{os_error(exc)}",
                                                              f"cannot read: {exc.strerror or exc}")
        raise LoadError(finding(Place(name), "unreadable", what)) from None


MISSING = Text("不存在", "does not exist")  # what `file_kind` says of a path where nothing is


def file_kind(path: str) -> Text | None:
    """None for a regular file (links followed); else what is there, in words (`is a folder, not a
    file`; `MISSING` where nothing is), for a message."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return Text(f"无法读取：{os_error(exc)}", f"cannot be read: {exc.strerror or exc}")
    return None if stat.S_ISREG(mode) else _kind(mode)


def _kind(mode: int) -> Text:
    if stat.S_ISDIR(mode):
        return Text("是文件夹，不是文件", "is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return Text("是命名管道（FIFO），不是文件", "is a named pipe (FIFO), not a file")
    if stat.S_ISSOCK(mode):
        return Text("是套接字，不是文件", "is a socket, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Text("是设备，不是文件", "is a device, not a file")
    return Text("不是普通文件", "is not a regular file")


def load_text(raw: bytes | str, name: str) -> Document:
    """Parse YAML text (bytes are decoded as UTF-8, a BOM allowed)."""
    if len(raw) > MAX_BYTES or (isinstance(raw, str) and len(raw.encode("utf-8", "replace")) > MAX_BYTES):
        raise LoadError(finding(Place(name), "too-large", Text(f"超过 {MAX_BYTES // 1048576} MiB 的文档不予接受",
                                                               f"documents over {MAX_BYTES // 1048576} MiB are refused")))
    if isinstance(raw, bytes):
        data = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise LoadError(finding(Place(name, line), "unreadable", Text(
                f"不是 UTF-8 文本：第 {line} 行第 {column} 列（按字节计）的字节 0x{data[exc.start]:02x}",
                f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column} (counted in bytes)"))) from None
    loader: _CLoader | _Loader | None = None
    if getattr(yaml, "__with_libyaml__", False) and "*" not in raw \
            and raw.count("[") + raw.count("{") <= FLOW_BRACKETS_FOR_C:
        loader = _CLoader(raw)
        try:
            node = loader.get_single_node()
        except Exception:  # the pure-Python loader says what is wrong, in its words
            loader = None
    if loader is None:
        loader = _Loader(raw)
        node = _compose(loader, name)
    doc = Document(name, None)
    if node is None:
        return doc
    converter = _Converter(loader, doc)
    try:
        doc.data = converter.convert(node, (), 0)
    except _Refused as exc:
        raise LoadError(finding(Place(name, exc.line), exc.code, exc.text)) from None
    return doc


def _compose(loader: _Loader, name: str):
    """The node tree of the pure-Python loader, its errors as LoadError."""
    try:
        return loader.get_single_node()
    except _Refused as exc:
        raise LoadError(finding(Place(name, exc.line), exc.code, exc.text)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = _one_line(exc.problem or str(exc))
        if problem == "but found another document":  # PyYAML's words, after "expected a single document"
            message = Text("此处开始了第二个 YAML 文档；一个文件只能有一个文档（请删去 `---`）",
                           "a second YAML document begins here; a file holds one document (remove the `---`)")
        else:
            message = _parser_says(problem)
        raise LoadError(finding(Place(name, line), "yaml-syntax", message)) from None
    except yaml.YAMLError as exc:
        raise LoadError(finding(Place(name), "yaml-syntax", _parser_says(_one_line(str(exc))))) from None
    except RecursionError:
        raise LoadError(finding(Place(name), "too-deep", Text("文档嵌套过深", "the document nests too deeply"))) from None
    finally:
        loader.dispose()


def _parser_says(problem: str) -> Text:
    """The YAML parser's own words (English, from PyYAML), introduced in Chinese for the Chinese."""
    return Text(f"YAML 格式错误（解析器提示：{problem}）", problem)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Converter:
    """Turns composed nodes into dicts, lists and scalars, recording lines and bounding expansion."""

    def __init__(self, loader, doc: Document):
        self.loader = loader
        self.doc = doc
        self.count = 0

    def convert(self, node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused("alias-limit", node.start_mark.line + 1,
                           Text(f"文档展开后超过 {MAX_NODES} 个节点（YAML 别名？）；不予接受",
                                f"the document expands to more than {MAX_NODES} nodes (YAML aliases?); refused"))
        if depth > MAX_DEPTH:
            raise _Refused("too-deep", node.start_mark.line + 1,
                           Text(f"嵌套超过 {MAX_DEPTH} 层，不予接受", f"nesting deeper than {MAX_DEPTH} levels is refused"))
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in PLAIN_TAGS:
            raise _Refused("yaml-syntax", node.start_mark.line + 1, _tag_refused(node.tag))
        if isinstance(node, ScalarNode):
            try:
                return self.loader.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                raise _Refused("yaml-syntax", node.start_mark.line + 1,
                               _parser_says(_one_line(str(getattr(exc, "problem", exc)))))
        if isinstance(node, SequenceNode):
            return [self.convert(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise _Refused("yaml-syntax", key_node.start_mark.line + 1,
                                   Text("映射的键必须是普通值", "a mapping key must be a plain value"))
                if key_node.tag not in PLAIN_TAGS:
                    raise _Refused("yaml-syntax", key_node.start_mark.line + 1, _tag_refused(key_node.tag))
                # keys as written: YAML 1.1 would turn `on:` and `yes:` into `true`
                key = key_node.value
                key_line = key_node.start_mark.line + 1
                if key in out:
                    self.doc.findings.append(finding(
                        Place(self.doc.file, key_line, pointer(path + (key,))), "duplicate-key",
                        Text(f"键 `{key}` 重复出现（首次在第 {self.doc.lines.get(path + (key,), '?')} 行）；保留第一个",
                             f"key `{key}` appears again (first at line {self.doc.lines.get(path + (key,), '?')}); "
                             "the first is kept")))
                    continue
                self.doc.lines[path + (key,)] = key_line
                out[key] = self.convert(value_node, path + (key,), depth + 1)
            return out
        raise _Refused("yaml-syntax", node.start_mark.line + 1, Text("不支持的 YAML 节点", "unsupported YAML node"))


def _tag_refused(tag: str) -> Text:
    return Text(f"不允许使用 YAML 标签 `{tag}`；清单只能包含普通数据",
                f"the YAML tag `{tag}` is not allowed; lists hold plain data only")
