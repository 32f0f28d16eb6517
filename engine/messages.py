"""Messages that more than one check writes (an unknown matter in a list and in the rules, dates in
the wrong order in a list and in the register of legal documents), in Chinese and English, so that the
same problem reads the same wherever it is found. A message used in one place stays there.
"""
from __future__ import annotations

import errno

from .model import Text


def unknown(what: Text, code: str) -> Text:
    """`unknown matter `x``: the start of an unknown-code finding, before its did-you-mean."""
    return Text(f"未知{what.zh} `{code}`", f"unknown {what.en} `{code}`")


MATTER = Text("事项", "matter")
FACT = Text("事实", "fact")
AUTHORITY = Text("决定主体", "authority")
LINE = Text("业务条线", "business line")


def dates_reversed(frm: str, to: str) -> Text:
    """The message of `bad-dates` for an end before the start (of a list, of a legal document)."""
    return Text(f"`effective_to` {to} 早于 `effective_from` {frm}", f"`effective_to` {to} is before `effective_from` {frm}")


# What the machine says when a file cannot be opened, read or written (`OSError.strerror`, English),
# in Chinese, for the errors a user causes most; any other by its errno name.
OS_ERRORS = {errno.ENOENT: "没有这个文件或文件夹", errno.EACCES: "没有权限", errno.EPERM: "不允许此操作",
             errno.EISDIR: "是文件夹", errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENOSPC: "磁盘空间已满",
             errno.EROFS: "文件系统只读", errno.EEXIST: "已经存在", errno.ELOOP: "符号链接过多",
             errno.ENAMETOOLONG: "文件名过长", errno.EBADF: "已关闭", errno.EPIPE: "读取方已关闭",
             errno.EADDRINUSE: "地址已被占用", errno.EADDRNOTAVAIL: "地址不可用"}


def os_error(exc: OSError) -> str:
    """The Chinese of an OSError's reason (`strerror`): `没有权限`, or `系统错误 EXDEV`."""
    found = OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if found is None:
        found = f"系统错误 {errno.errorcode.get(exc.errno, exc.errno)}" if exc.errno is not None else "系统错误"
    return found
