"""`make bench`: every benchmark side by side in one run; results rewritten in bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import library_load, slack_answers

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main() -> int:
    sections = [library_load.run(), slack_answers.run()]
    machine = (
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {sys.version.split()[0]}"
    )
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (`python -m bench` from the repository root). Speed is measured "
        "here, never asserted in tests; compare the ratios, which travel between machines better "
        "than the seconds do.\n\n"
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n- Machine: {machine}\n"
    )
    RESULTS.write_text("\n".join([header, *sections]), "utf-8")
    print(f"\nwrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
