"""Builders for small libraries in tmp_path (a unique module name: conftest.py is ambiguous)."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.library.cli import run_check

# The day every check here is made: the template's lessons were checked 7 months before it.
TODAY = date(2026, 12, 1)

SKILLS = """\
skills:
  - id: strategy
    name: Strategy and planning
    description: Tie social work to business goals.
    translations:
      el: {name: Στρατηγική, description: Σύνδεση με τους στόχους.}
  - id: analytics
    name: Analytics
    description: Measure what matters.
"""

# Line numbers of this template are what the tests assert against; keep it in step.
LESSON = """\
---
id: {id}
skill: {skill}
level: {level}
title: Start from the business goal
minutes: 2
check:
  question: A lead asks for more followers. What do you ask first?
  options:
    - Which business result followers should move
    - Which network grows fastest
    - How many posts a week we can publish
  answer: Which business result followers should move
explanation: Followers are a means, not an end.
sources:
  - {{title: A book about planning, url: "https://example.com/book"}}
checked: 2026-05
---
Start from **the business goal**, then pick the networks.
"""

TRANSLATION = """\
---
title: Ξεκινήστε από τον επιχειρηματικό στόχο
check:
  question: Ένας υπεύθυνος ζητά περισσότερους ακόλουθους. Τι ρωτάτε πρώτα;
  options:
    - Ποιο επιχειρηματικό αποτέλεσμα θα κινήσουν
    - Ποιο δίκτυο μεγαλώνει πιο γρήγορα
    - Πόσες αναρτήσεις την εβδομάδα αντέχουμε
  answer: Ποιο επιχειρηματικό αποτέλεσμα θα κινήσουν
explanation: Οι ακόλουθοι είναι μέσο, όχι σκοπός.
---
Ξεκινήστε από **τον επιχειρηματικό στόχο**.
"""

QUESTION = """\
id: {id}
skill: strategy
prompt: Which networks does our audience actually use?
choices:
  - Instagram
  - TikTok
  - LinkedIn
follow_up: Name the data source behind your answer.
translations:
  el:
    prompt: Ποια δίκτυα χρησιμοποιεί πραγματικά το κοινό μας;
    choices: [Instagram, TikTok, LinkedIn]
"""


def lesson(id: str, skill: str = "strategy", level: int = 1) -> str:
    return LESSON.format(id=id, skill=skill, level=level)


@dataclass
class ContentDir:
    """A content directory under tmp_path, written from strings, checked like the CLI does."""

    path: Path

    def write(self, relative: str, text: str) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
        return target

    def remove(self, relative: str) -> None:
        (self.path / relative).unlink()

    def check(self) -> tuple[int, list[str]]:
        out = io.StringIO()
        code = run_check(self.path, TODAY, out)
        return code, out.getvalue().splitlines()

    def at(self, relative: str, line: int, message: str) -> str:
        """The exact line the checker prints for a problem in ``relative``."""
        return f"{self.path / relative}:{line}: {message}"

    @staticmethod
    def reported(relative: str, line: int, message: str) -> str:
        """A problem as the report holds it (Slack, LibraryInvalid): the path inside content/."""
        return f"{relative}:{line}: {message}"


def make_content(root: Path) -> ContentDir:
    """Three level-ordered strategy lessons, three analytics lessons, a question, a translation."""
    directory = ContentDir(root / "content")
    directory.write("skills.yaml", SKILLS)
    for level, stem in enumerate(("goal", "audience", "calendar"), start=1):
        directory.write(
            f"lessons/strategy/strategy-{stem}.md", lesson(f"strategy-{stem}", level=level)
        )
    for stem in ("reach", "clicks", "sales"):
        directory.write(
            f"lessons/analytics/analytics-{stem}.md", lesson(f"analytics-{stem}", "analytics")
        )
    directory.write("lessons/strategy/strategy-goal.el.md", TRANSLATION)
    directory.write("questions/q-networks.yaml", QUESTION.format(id="q-networks"))
    return directory
