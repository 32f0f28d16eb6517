"""Batch checking (`quanze check`): a decision per action, memoised by decision class.

By job:
- `memo`: the fast key, the decision classes' cores and variants, the bounded tables (`Memo`);
- `output`: the bytes of a decision line, byte for byte `json.dumps` (`render_line`, `case_json`);
- `checker`: a chunk of lines decided, the memo's hot loop and the uncached path (`Checker`);
- `summary`: the counts of a run (`summarise`; `quanze.present.batch` words them);
- `parallel`: a whole input in chunks, in this process or forked workers with spool files, the
  garbage collector kept quiet (`check_stream`);
- `sink`: the writer thread; `run`: one whole `check`, into an atomic `--out` file or standard
  output (`CheckRun`).

Action files are read by `quanze.actions`, the one reader `check` and `audit --replay` share.
"""
from .checker import Checker
from .output import case_json, render_line
from .parallel import check_stream
from .run import TABLE_WIDTH, CheckRun, estimate_lines, output_format
from .summary import summarise

__all__ = ["TABLE_WIDTH", "CheckRun", "Checker", "case_json", "check_stream", "estimate_lines", "output_format", "render_line",
           "summarise"]
