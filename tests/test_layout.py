"""The layering the code relies on, read from the source with `ast`:

- the computing modules format nothing: no module of `quanze` outside `quanze.present` imports a
  renderer; they may import `quanze.present.words` (the word tables and conditions in words), which
  itself imports no other module of `quanze.present`. The exceptions are named below: the batch
  modules that make `check`'s rows as they decide, and `quanze.server`, the HTTP edge (as cli.py is
  the command line's), which answers `Accept: text/html` with the rendered list;
- no module of `quanze` imports inside a function unless a comment on that line (or the line above)
  says why: a cycle it breaks, or an optional dependency it defers.

Each check is a function of source text, tried first on small examples that must fail, so that a
check that silently accepts everything cannot pass here.
"""
from __future__ import annotations

import ast
import io
import os
import re
import tokenize

from .paths import ROOT

ENGINE = os.path.join(ROOT, "engine")
PRESENT = "quanze.present"
WORDS = "quanze.present.words"
WHY = re.compile(r"#.*\b(cycle|circular|optional|defer)", re.IGNORECASE)

# The check path makes its CSV cells and rows while it decides (the memo keeps each decision class's
# cells, so they are made once per class, not once per line), and `batch.run` is the output edge of
# `check` (the file or standard output, the table or CSV writer): these import the batch renderer.
BATCH_RENDERER = "quanze.present.batch"
RENDERS_AS_IT_GOES = {"quanze.batch.checker", "quanze.batch.memo", "quanze.batch.run"}
# The HTTP edge: it parses, reads and answers, as cli.py does, so it may call any renderer.
EDGE = "quanze.server"


def engine_modules() -> dict:
    """module name -> (source, whether it is a package's __init__), for every module of the package
    `quanze` (the folder engine/)."""
    out = {}
    for folder, _, files in os.walk(ENGINE):
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), ENGINE)[:-3].split(os.sep)
            package = rel[-1] == "__init__"
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                out[".".join(["quanze", *rel[:-1 if package else None]])] = (handle.read(), package)
    return out


def imported(source: str, module: str, is_package: bool = False) -> list:
    """(line, full name) of every module `source` imports; for `from X import a`, both X and X.a
    (a may be a submodule), with relative imports resolved against `module`."""
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            out.append((node.lineno, target))
            out += [(node.lineno, f"{target}.{a.name}") for a in node.names]
    return out


def _under(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def renderer_imports(source: str, module: str, is_package: bool = False) -> list:
    """The lines where a module outside quanze.present imports a renderer (anything of quanze.present
    but its package and the words module; the batch renderer for the modules that render as they go)."""
    if _under(module, PRESENT) or _under(module, EDGE):
        return []
    allowed = [WORDS] + ([BATCH_RENDERER] if module in RENDERS_AS_IT_GOES else [])
    return sorted({line for line, name in imported(source, module, is_package)
                   if _under(name, PRESENT) and name != PRESENT and not any(_under(name, a) for a in allowed)})


def local_imports(source: str) -> list:
    """(line, module) of every import inside a function with no comment saying why on its line or
    the line above."""
    comments = {tok.start[0]: tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT}
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                said = " ".join(comments.get(n, "") for n in (node.lineno - 1, node.lineno))
                if not WHY.search(said):
                    names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                             else ["." * node.level + (node.module or "")])
                    out += [(node.lineno, n) for n in names]
    return sorted(set(out))


# --- the checks catch what they are for --------------------------------------------------------------

def test_renderer_imports_are_found_in_every_spelling():
    assert renderer_imports("from .present.diff_text import diff_text\n", "quanze.audit") == [1]
    assert renderer_imports("from .present import audit_page\n", "quanze.audit") == [1]
    assert renderer_imports("x = 1\nfrom quanze.present.page import esc\n", "quanze.impact") == [2]
    assert renderer_imports("import quanze.present.list_document\n", "quanze.impact") == [1]
    assert renderer_imports("from ..present.textwidth import fit\n", "quanze.batch.output") == [1]
    assert renderer_imports("from ..present.batch import text_rows\n", "quanze.batch.output") == [1]
    assert renderer_imports("from ..present.audit_text import audit_text\n", "quanze.batch.run") == [1]
    assert renderer_imports("def f():\n    from .present import decision_text\n", "quanze.decide") == [2]
    # the word tables are allowed, and so is anything inside the presentation layer
    assert renderer_imports("from .present.words import situation_words\n", "quanze.publication") == []
    assert renderer_imports("from .present import words\n", "quanze.publication") == []
    assert renderer_imports("from ..present.batch import CsvRows\n", "quanze.batch.run") == []
    assert renderer_imports("from .page import esc\n", "quanze.present.audit_page") == []
    assert renderer_imports("from .diff_text import diff_text\n", "quanze.present", is_package=True) == []


def test_local_imports_need_a_comment_saying_why():
    bare = "def f():\n    import json\n    from . import actions\n    return json\n"
    assert local_imports(bare) == [(2, "json"), (3, ".")]
    vague = "def f():\n    import json  # faster\n"
    assert local_imports(vague) == [(2, "json")]
    nested = "class C:\n    def m(self):\n        if x:\n            from .render import page\n"
    assert local_imports(nested) == [(4, ".render")]
    said = ("def f():\n    # breaks the cycle catalogue -> publication -> catalogue\n    from .catalogue import x\n"
            "    import yaml  # optional dependency, deferred\n")
    assert local_imports(said) == []
    assert local_imports("import json\nfrom . import model\n") == []


# --- the package holds to them -----------------------------------------------------------------------

def test_no_computing_module_imports_a_renderer():
    modules = engine_modules()
    assert "quanze.diff" in modules and "quanze.present.words" in modules
    bad = {m: lines for m, (src, package) in modules.items() if (lines := renderer_imports(src, m, package))}
    assert not bad, f"modules outside quanze.present import renderers (line numbers): {bad}"


def test_the_words_module_imports_no_renderer():
    src, _ = engine_modules()[WORDS]
    inside = sorted({name for _, name in imported(src, WORDS) if name.startswith(PRESENT + ".")})
    assert inside == [], inside


def test_no_function_level_import_without_a_reason():
    found = {m: lines for m, (src, _) in engine_modules().items() if (lines := local_imports(src))}
    assert not found, f"imports inside functions with no comment saying why (line, module): {found}"
