"""`make bench`: every benchmark side by side in one run; results rewritten in bench/RESULTS.md.

`python -m bench acks startup` runs only the named ones and prints them without writing the file,
so that RESULTS.md always holds one whole run.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    acks,
    fanout,
    fanout_workers,
    forward,
    learning,
    lesson_cost,
    library_load,
    startup,
    team_report,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

BENCHMARKS: dict[str, Callable[[], str]] = {
    "library_load": library_load.run,
    "acks": acks.run,
    "lesson_cost": lesson_cost.run,
    "startup": startup.run,
    "fanout": fanout.run,
    "fanout_workers": fanout_workers.run,
    "forward": forward.run,
    "team_report": team_report.run,
    "learning": learning.run,
}


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; there are {', '.join(BENCHMARKS)}")
        return 2
    began = time.perf_counter()
    sections = []
    for name in argv or BENCHMARKS:
        print(f"\n== {name}", flush=True)
        sections.append(BENCHMARKS[name]())
    took = time.perf_counter() - began
    print(f"\nall benchmarks took {took:.0f} s")
    if argv:
        return 0
    machine = (
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {sys.version.split()[0]}"
    )
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (`python -m bench` from the repository root). Speed is measured "
        "here, never asserted in tests; compare the ratios, which travel between machines better "
        "than the seconds do. Every floor is measured in the same run as what it is compared "
        "with.\n\n"
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n- Machine: {machine}\n"
        f"- Whole run: {took:.0f} s\n"
    )
    RESULTS.write_text("\n".join([header, *sections]), "utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
