"""`make bench`: every benchmark side by side in one run; results rewritten in bench/RESULTS.md.

`python -m bench acks startup` runs only the named ones and prints them without writing the file.
`python -m bench --update acks startup` runs them side by side and replaces only their sections in
RESULTS.md, each stamped with that run's date, so that a section always says which run it is from
(the whole run's date at the top covers only the sections without a stamp).
"""

from __future__ import annotations

import os
import platform
import re
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
    update = "--update" in argv
    names = [name for name in argv if name != "--update"]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown or (update and not names):
        print(f"unknown benchmark {', '.join(unknown)}; there are {', '.join(BENCHMARKS)}")
        return 2
    began = time.perf_counter()
    sections = []
    for name in names or BENCHMARKS:
        print(f"\n== {name}", flush=True)
        sections.append(BENCHMARKS[name]())
    took = time.perf_counter() - began
    print(f"\nall benchmarks took {took:.0f} s")
    if update:
        stamp = (
            f"_Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python -m bench --update "
            f"{' '.join(names)}` ({took:.0f} s, load average {os.getloadavg()[0]:.1f} at the "
            "end): these sections side by side in one run, their ratios to floors of the same "
            "run. Sections without such a line are from the whole run dated at the top._"
        )
        RESULTS.write_text(splice(RESULTS.read_text("utf-8"), sections, stamp), "utf-8")
        print(f"updated {len(sections)} sections of {RESULTS}")
        return 0
    if names:
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


def splice(results: str, sections: list[str], stamp: str) -> str:
    """`results` with each of `sections` (a "## " heading and its text) put in place of the
    section with the same heading, or added at the end, with `stamp` under its heading."""
    parts = re.split(r"(?m)^(?=## )", results)
    for section in sections:
        heading, _, rest = section.partition("\n")
        stamped = f"{heading}\n\n{stamp}\n{rest}".rstrip("\n") + "\n"
        at = [i for i, part in enumerate(parts) if part.partition("\n")[0] == heading]
        if at:
            parts[at[0]] = stamped + "\n"
        else:
            parts[-1] = parts[-1].rstrip("\n") + "\n\n"
            parts.append(stamped)
    return "".join(parts)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
