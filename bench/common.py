"""What the benchmarks share: paths, the databases to run on, percentiles and Markdown tables."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "demo.yaml"
CONTENT = REPO / "content"
# One secret for Nudge, the bare Bolt app and the driver: both apps verify the same signatures.
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
# The PostgreSQL the benchmarks use when it answers; BENCH_DATABASE_URL points them elsewhere.
POSTGRES_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True)
class Database:
    name: str  # "SQLite" or "PostgreSQL", as the tables print it
    url: str


def log(message: str) -> None:
    """Progress on stderr, so that a long run shows where it is."""
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def databases() -> Iterator[tuple[list[Database], str]]:
    """A fresh SQLite file and, when PostgreSQL answers, a schema of its own dropped afterwards
    (as tests/conftest.py isolates tests); with a note saying why PostgreSQL is missing, if it is."""
    with tempfile.TemporaryDirectory(prefix="nudge-bench-") as tmp:
        found = [Database("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        with _postgres_schema() as (postgres, note):
            if postgres is not None:
                found.append(Database("PostgreSQL", postgres))
            yield found, note


@contextmanager
def _postgres_schema() -> Iterator[tuple[str | None, str]]:
    admin = create_engine(POSTGRES_URL)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        reason = str(error.orig or error).splitlines()[0]
        yield None, f"PostgreSQL was not measured: {POSTGRES_URL} did not answer ({reason})."
        return
    try:
        yield (
            (
                make_url(POSTGRES_URL)
                .update_query_dict({"options": f"-csearch_path={schema}"})
                .render_as_string(hide_password=False)
            ),
            "",
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: p99 of n values is the ceil(0.99 n)-th smallest, so with 64
    values it is the largest and with 512 the sixth largest; never interpolated."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-round(fraction * 1000) * len(ordered) // 1000))  # ceil without floats
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:,.1f} ms"


def ratio(numerator: float, denominator: float) -> str:
    if denominator <= 0 or numerator != numerator or denominator != denominator:
        return "n/a"
    return f"{numerator / denominator:.2f}x"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> str:
    """A Markdown table; columns from ``right_from`` on are numbers, aligned right."""
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def prose(markdown: str, width: int = 100) -> str:
    """Re-wrap paragraphs and bullets (numbers put into a text leave ragged lines); tables,
    headings and blank lines are kept as they are."""
    blocks, out = markdown.split("\n\n"), []
    for block in blocks:
        if block.lstrip().startswith(("|", "#")) or not block.strip():
            out.append(block)
            continue
        items = re.split(r"\n(?=- )", block)
        wrapped = []
        for item in items:
            bullet = item.startswith("- ")
            words = " ".join(item[2:].split() if bullet else item.split())
            wrapped.append(
                textwrap.fill(
                    words,
                    width,
                    initial_indent="- " if bullet else "",
                    subsequent_indent="  " if bullet else "",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        out.append("\n".join(wrapped))
    return "\n\n".join(out)
