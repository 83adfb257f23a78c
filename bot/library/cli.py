"""``python -m bot content check [DIR]`` (``make check DIR=...``): print every problem, exit 1 on errors."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.library.checker import check_library


def run_check(content_dir: Path, today: date, out: TextIO = sys.stdout) -> int:
    """Print every problem as ``path:line: message``, then the summary; 1 on any error.

    Paths start with ``content_dir`` as given (the report itself holds them relative to it),
    so an editor or CI started in the same place can open each file.
    """
    report = check_library(Path(content_dir), today)
    for problem in report.problems:
        print(problem.under(content_dir), file=out)
    print(report.summary_line(), file=out)
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return run_check(Path(args[0] if args else "content"), date.today())


if __name__ == "__main__":
    raise SystemExit(main())
