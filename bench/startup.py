"""How long until `python -m bot web` answers, and how much memory does it hold then?

Starts ``python -m bot web`` as an operator does (configured by the environment only: the local
Slack this process runs, a temporary SQLite file, CONTENT_DIR=content, a free PORT, HOME a
temporary folder, so the checked library is kept in its ~/.cache/nudge as a restart finds it),
the same with LIBRARY_CACHE=off (the library read and checked at every start, as a first start or
a start after the content changed does), and, taking turns with them, the bare Bolt app of
bench/bare_bolt.py copied to a temporary directory and run as a script the same way. For each
start: the time from launching the interpreter to the first ``GET /healthz`` that answers 200,
and the child's resident memory at that moment (VmRSS, and its peak VmHWM, from
/proc/<pid>/status). One more start of each under ``python -X importtime`` counts the modules
imported by the first 200 (that start is slower and is not timed). And, in fresh interpreters
that imported what ``web`` imports, how long the first unit of work takes (FIRST_UNIT in bench/startup.py).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.common import CONTENT, REPO, SEED, SIGNING_SECRET, log, ms, prose, ratio, table
from bench.processes import AppProcess, bare_bolt_script, free_port, memory_kib
from bot.library import check_library, load_library
from bot.library.cache import library_key, read_cached, write_cached
from bot.localslack import LocalSlack, load_workspace

NUDGE = "Nudge (`python -m bot web`), a restart"
CHECKING = "Nudge, LIBRARY_CACHE=off"
BARE = "bare Bolt script"
STARTS = 5  # timed starts of each app, taking turns; the median is reported

# The first unit of work in a process that imported what `web` imports before its first 200: the
# seconds it takes, which are SQLAlchemy, its ORM and the store's repositories being imported and
# the engine made (a restart leaves them to it).
FIRST_UNIT = """
import gc, time
gc.disable()  # as `python -m bot` starts
import bot.cli, bot.serve
from bot.store.uow import Database
database = Database(url="sqlite://")
began = time.perf_counter()
with database.uow():
    pass
print(time.perf_counter() - began)
"""


@dataclass
class Starts:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    # Modules imported by the first 200, a line of -X importtime each: a module that its own
    # package's __init__ imported on the way to it has two lines, and counts twice, as it always has.
    names: tuple[str, ...] = ()

    @property
    def packages(self) -> Counter[str]:
        """The modules by top-level package."""
        return Counter(name.split(".")[0] for name in self.names)

    @property
    def modules(self) -> int:
        return sum(self.packages.values())


def _start(argv: Sequence[str], env: dict[str, str], log_path: Path) -> tuple[float, int, int]:
    """Launch, wait for the first 200, read the memory, stop; seconds, VmRSS and VmHWM (KiB).
    Not pinned (bench/processes.py `placement`), unlike the acknowledgement bench: one process
    starts at a time with nothing else of the bench running but its readiness poll, so there is no
    work of its own to keep off its CPU, and both apps start under the same conditions."""
    child = AppProcess(argv, env, log_path, port=free_port())
    try:
        seconds = child.wait_ready()
        rss, peak = memory_kib(child.pid)
    finally:
        child.stop()
    return seconds, rss, peak


def _imports(log_path: Path) -> tuple[str, ...]:
    """Modules in a -X importtime log (one line each after the header)."""
    lines = log_path.read_text(errors="replace").splitlines()
    names = [line.rsplit("|", 1)[1].strip() for line in lines if line.startswith("import time:")]
    return tuple(names[1:])


def measure() -> dict[str, Starts]:
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="nudge-startup-") as tmp_name:
        tmp = Path(tmp_name)
        with LocalSlack(load_workspace(SEED), rate_limits=False) as slack:
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": str(tmp),  # no user configuration leaks in
                "PYTHONPATH": str(REPO),  # this working copy's bot, whatever is installed
                "SLACK_BOT_TOKEN": slack.bot_token,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": f"sqlite:///{tmp / 'nudge.db'}",
                "CONTENT_DIR": str(CONTENT),
            }
            apps = {
                NUDGE: [python, "-m", "bot", "web"],
                CHECKING: [python, "-m", "bot", "web"],
                BARE: [python, *bare_bolt_script(tmp)],
            }
            envs = {name: env for name in apps} | {CHECKING: {**env, "LIBRARY_CACHE": "off"}}
            results = {name: Starts() for name in apps}
            # One untimed start each first: Nudge creates its schema (a restart finds it made),
            # and both find their bytecode and libraries in the OS cache, as a restart does.
            for number in range(STARTS + 1):
                for name, argv in apps.items():
                    seconds, rss, peak = _start(argv, envs[name], tmp / "start.log")
                    if number > 0:
                        results[name].seconds.append(seconds)
                        results[name].rss_kib.append(rss)
                        results[name].peak_kib.append(peak)
            for name, argv in apps.items():
                _start([argv[0], "-X", "importtime", *argv[1:]], envs[name], tmp / "imports.log")
                results[name].names = _imports(tmp / "imports.log")
            log("start-up measured")
    return results


def _first_unit_ms() -> float:
    """Median of STARTS fresh interpreters' first unit of work (FIRST_UNIT), in ms."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seconds = [
        float(
            subprocess.run(
                [sys.executable, "-c", FIRST_UNIT],
                env=env,
                cwd=REPO,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(STARTS)
    ]
    return statistics.median(seconds) * 1000


def _mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def run() -> str:
    results = measure()
    rows = []
    for name, starts in results.items():
        rows.append(
            [
                name,
                str(len(starts.seconds)),
                ms(statistics.median(starts.seconds)),
                f"{ms(min(starts.seconds))} to {ms(max(starts.seconds))}",
                _mib(statistics.median(starts.rss_kib)),
                _mib(statistics.median(starts.peak_kib)),
                str(starts.modules),
            ]
        )
    header = ["app", "starts", "first 200 (median)", "range", "RSS", "peak RSS", "modules"]
    starts_table = table(header, rows, right_from=1)
    nudge, checking, bare = results[NUDGE], results[CHECKING], results[BARE]
    ratios = table(
        ["median of each, against bare", "time to first 200", "RSS at first 200", "modules"],
        [
            [
                name,
                ratio(statistics.median(one.seconds), statistics.median(bare.seconds)),
                ratio(statistics.median(one.rss_kib), statistics.median(bare.rss_kib)),
                ratio(one.modules, bare.modules),
            ]
            for name, one in ((NUDGE, nudge), (CHECKING, checking))
        ],
    )
    print(f"\n{starts_table}\n\n{ratios}")
    return _text(starts_table, ratios, nudge, checking, bare)


def _text(starts_table: str, ratios: str, nudge: Starts, checking: Starts, bare: Starts) -> str:
    bare_s = statistics.median(bare.seconds)
    restart = statistics.median(nudge.seconds) / bare_s
    checked = statistics.median(checking.seconds) / bare_s
    extra_ms = (statistics.median(nudge.seconds) - bare_s) * 1000
    extra_mib = (statistics.median(nudge.rss_kib) - statistics.median(bare.rss_kib)) / 1024
    extra = nudge.packages - bare.packages
    sqlalchemy = sum(1 for name in set(nudge.names) if name.split(".")[0] == "sqlalchemy")
    orm = sum(1 for name in set(nudge.names) if name.startswith("sqlalchemy.orm"))
    postgresql = sum(
        1 for name in set(nudge.names) if name.startswith("sqlalchemy.dialects.postgresql")
    )
    biggest = ", ".join(f"{name} {count}" for name, count in extra.most_common(10))
    lessons = sum(1 for _ in CONTENT.glob("lessons/**/*.md"))
    today = date.today()
    began = time.perf_counter()
    load_library(CONTENT, today)  # in this process, warm: the check a start without cache does
    library_ms = (time.perf_counter() - began) * 1000
    with tempfile.TemporaryDirectory(prefix="nudge-cache-") as folder:
        write_cached(
            Path(folder), CONTENT, library_key(CONTENT, today), check_library(CONTENT, today)
        )
        began = time.perf_counter()
        read_cached(Path(folder), CONTENT, library_key(CONTENT, today))
        cached_ms = (time.perf_counter() - began) * 1000
    aim = "met" if restart <= 2 else "not met"
    first_unit = _first_unit_ms()
    load = " / ".join(f"{one:.1f}" for one in os.getloadavg())  # 1, 5 and 15 minutes
    return prose(f"""## Start-up: time to the first /healthz and memory

{__doc__.split(chr(10), 2)[2].strip()} Median of {STARTS} starts each, after one untimed start
of each (Nudge's first creates the SQLite schema and keeps the checked library; the timed ones
find both, as a restart does).

{starts_table}

{ratios}

### What the numbers mean

- **First 200 within 2x of bare Bolt: {aim}** for a restart ({restart:.2f}x); a start that
  checks the library ({CHECKING}) takes {checked:.2f}x. Nudge answers its first `/healthz`
  {extra_ms:,.0f} ms after the bare app and holds {extra_mib:,.1f} MiB more then.
- Before it listens Nudge does what the bare app does (import Bolt and waitress, build Bolt's
  `App`, one `auth.test`: Nudge asks it itself, so that a refused token stops start-up with one
  line, and gives the answer to Bolt's `App` rather than letting it ask again), and also opens
  the database and reads its schema version (two queries, through the database's driver when
  it is at this code's schema; Alembic is imported only to migrate), and has a library that
  passed the checker, since a library that does not check stops start-up rather than serving
  part of it. Checking the {lessons} lesson files in `content/` takes
  {library_ms:,.0f} ms in this process, warm; a restart with the same files, the same Nudge and
  the same day reads the check it kept instead (`LIBRARY_CACHE`, bot/library/cache.py: hashing
  the files and reading it back, {cached_ms:,.0f} ms here), and a changed library is checked
  again before the first 200.
- Start-up runs with the garbage collector off (nothing it makes is garbage; collecting while
  importing cost about 80 ms of CPU), and freezes what it made before serving. markdown-it,
  `holidays`, the checker with its pydantic schemas, PostgreSQL's `insert`, Babel with the
  message catalogues (read by the first request that says something), python-json-logger (a
  text log needs none), Socket Mode's client, OAuth's installation stores, the pydantic models
  that check a request's payload and the Settings modal's form, and the use cases only leads,
  admins or the clock call (the team report, the digest, the statistics, the export) are
  imported when first used, not at start (tests/test_start_up.py keeps it so). Bolt's `App`
  is given its name: left to find it, Bolt calls `inspect.stack()`, which reads every frame's
  source and looks through every loaded module (the bare app, which does not name its `App`,
  pays that with its fewer modules).
- It imports {nudge.modules - bare.modules} more modules than the bare app. By top-level package
  the most are: {biggest}.{_candidates(extra)}
  {_orm(sqlalchemy, orm, postgresql, first_unit)} pydantic-settings imports all of its sources
  (cloud secret stores, command line, TOML, YAML) whatever the settings use, so no part of it
  can be put off short of reading the environment without it.
- Start-up happens once per deploy or restart: a platform that health-checks `/healthz` routes
  traffic after the time above. Starts on this shared 2-core machine vary by tens of percent
  (the range column; the load average over 1, 5 and 15 minutes, this run's starts included,
  was {load} when they ended); the ratio is of medians taken in turns.
""")


def _orm(sqlalchemy: int, orm: int, postgresql: int, first_unit_ms: float) -> str:
    """SQLAlchemy, its ORM and its PostgreSQL dialect at start, said as the counts have it."""
    if sqlalchemy == 0:
        return (
            "None are SQLAlchemy's: a restart reads the schema's revision through the database's "
            "driver (sqlite3 here, psycopg for PostgreSQL), and `/healthz` probes through it too; "
            "the first unit of work makes the engine, importing SQLAlchemy, its ORM and the store's "
            "repositories with the tables declared with the ORM (which load its PostgreSQL dialect "
            "on SQLite too, to check a partial index's `postgresql_where`). So the first request "
            "that reads or writes the database waits for those imports, not the first `/healthz`: "
            f"a first unit of work takes {first_unit_ms:,.0f} ms in a fresh process here (median "
            f"of {STARTS})."
        )
    if orm == 0 and postgresql == 0:
        return (
            "None are SQLAlchemy's ORM or its PostgreSQL dialect: the schema check and `/healthz` "
            "use its Core, and a unit of work imports the store's repositories, with the tables "
            "declared with the ORM, when it first opens (SQLAlchemy then loads the PostgreSQL "
            "dialect on SQLite too, to check a partial index's `postgresql_where`; it offers no "
            "way to declare that without loading it). So the first request that reads or writes "
            "the database waits for those imports, not the first `/healthz`: a first unit of work "
            f"takes {first_unit_ms:,.0f} ms in a fresh process here (median of {STARTS})."
        )
    return (
        f"{orm} of SQLAlchemy's are its ORM and {postgresql} its PostgreSQL dialect (loaded on "
        "SQLite too, to check a partial index's `postgresql_where`), which the schema check does "
        "not use (its Core does): something imported at start imports the store's repositories "
        "or its tables declared with the ORM."
    )


def _candidates(extra: Counter[str]) -> str:
    """What the import counts point at, said only while it is true of them."""
    notes = []
    if extra["alembic"] and extra["pygments"]:
        notes.append(
            "Alembic is imported to compare schema versions on every start, and through Mako it "
            "brings Pygments' lexers"
        )
    if extra["apscheduler"]:
        notes.append("APScheduler comes with `bot.serve`, which also holds the `clock` command")
    if extra["babel"]:
        notes.append("Babel is imported at start, so something makes a translator before serving")
    if extra["pythonjsonlogger"]:
        notes.append("python-json-logger is imported although the log is text")
    if not notes:
        return ""
    return (
        " " + "; ".join(notes) + ". Those are the candidates if start-up time or memory ever "
        "matters (a platform that scales to zero, say)."
    )
