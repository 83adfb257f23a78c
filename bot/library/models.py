"""The lesson library as the bot uses it: immutable values built once per (re)load.

These are plain frozen dataclasses, not the pydantic file schemas (see ``schema.py``): the
schemas describe what an admin may write, these describe what the rest of the bot may read.
Everything is resolved at load time, so a lookup during a Slack request never touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.library.locales import ORIGINAL_LOCALE, normalize_locale
from bot.library.mrkdwn import mrkdwn_blocks


@dataclass(frozen=True)
class SkillText:
    """A skill's name and description in one language."""

    name: str
    description: str


@dataclass(frozen=True)
class Skill:
    id: str
    name: str
    description: str
    translations: dict[str, SkillText] = field(default_factory=dict)

    def name_in(self, locale: str | None) -> str:
        """The name in ``locale`` (a Slack locale such as ``el-GR`` works too), else English."""
        text = self.translations.get(normalize_locale(locale))
        return text.name if text else self.name

    def description_in(self, locale: str | None) -> str:
        text = self.translations.get(normalize_locale(locale))
        return text.description if text else self.description


@dataclass(frozen=True)
class Check:
    """A lesson's retrieval question; ``answer`` is the text of the right option."""

    question: str
    options: list[str]
    answer: str

    @property
    def answer_index(self) -> int:
        return self.options.index(self.answer)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None


def _sections(markdown: str) -> tuple[str, ...]:
    return tuple(block.text for block in mrkdwn_blocks(markdown))


@dataclass(frozen=True)
class LocalizedLesson:
    """A lesson as one member reads it: one language, body already in Slack mrkdwn."""

    id: str
    skill: str
    locale: str
    title: str
    # The body's top-level blocks (paragraphs, lists, quotes, code) in Slack mrkdwn, each short
    # enough for one section: kept apart so a code block with blank lines is never cut in two.
    body_sections: tuple[str, ...]
    question: str
    options: list[str]
    answer_index: int
    explanation: str
    sources: list[Source]

    @property
    def body_mrkdwn(self) -> str:
        return "\n\n".join(self.body_sections)


@dataclass(frozen=True)
class LessonTranslation:
    """A lesson in another language; sources default to the original's when omitted."""

    locale: str
    title: str
    check: Check
    explanation: str
    sources: list[Source]
    body: str
    path: Path


@dataclass(frozen=True)
class Lesson:
    id: str
    skill: str
    level: int
    title: str
    minutes: int
    check: Check
    explanation: str
    sources: list[Source]
    body: str
    path: Path
    translations: dict[str, LessonTranslation] = field(default_factory=dict)
    # The first day of the month its platform facts were last verified (``checked:``);
    # None for a lesson that does not say (the checker warns about it).
    checked: date | None = None

    def localized(self, locale: str | None) -> LocalizedLesson:
        """The lesson in ``locale`` (``el`` or a Slack ``el-GR``), falling back to English."""
        translation = self.translations.get(normalize_locale(locale))
        # A translation carries the same fields as the original; id, skill and level are shared.
        text: Lesson | LessonTranslation = translation or self
        return LocalizedLesson(
            id=self.id,
            skill=self.skill,
            locale=translation.locale if translation else ORIGINAL_LOCALE,
            title=text.title,
            body_sections=_sections(text.body),
            question=text.check.question,
            options=list(text.check.options),
            answer_index=text.check.answer_index,
            explanation=text.explanation,
            sources=list(text.sources),
        )


@dataclass(frozen=True)
class LocalizedQuestion:
    id: str
    skill: str
    locale: str
    prompt: str
    choices: list[str]
    follow_up: str | None


@dataclass(frozen=True)
class QuestionText:
    """A weekly question in another language; ``choices`` None means the original's."""

    prompt: str
    choices: list[str] | None
    follow_up: str | None


@dataclass(frozen=True)
class Question:
    """A weekly strategy question; ``choices`` empty means a free-text answer."""

    id: str
    skill: str
    prompt: str
    choices: list[str]
    follow_up: str | None
    translations: dict[str, QuestionText] = field(default_factory=dict)
    path: Path | None = None

    def localized(self, locale: str | None) -> LocalizedQuestion:
        text = self.translations.get(normalize_locale(locale))
        if text is None:
            return LocalizedQuestion(
                self.id,
                self.skill,
                ORIGINAL_LOCALE,
                self.prompt,
                list(self.choices),
                self.follow_up,
            )
        return LocalizedQuestion(
            id=self.id,
            skill=self.skill,
            locale=normalize_locale(locale),
            prompt=text.prompt,
            choices=list(text.choices if text.choices is not None else self.choices),
            follow_up=text.follow_up if text.follow_up is not None else self.follow_up,
        )


@dataclass(frozen=True)
class Library:
    """Every skill, lesson and weekly question, keyed by id."""

    skills: dict[str, Skill]
    lessons: dict[str, Lesson]
    questions: dict[str, Question]

    @property
    def skill_of(self) -> dict[str, str]:
        """Every lesson's skill area, by lesson id."""
        return {lesson.id: lesson.skill for lesson in self.lessons.values()}

    def lessons_in(self, skill: str) -> list[Lesson]:
        """A skill's lessons in teaching order: foundations first, then by id for stability."""
        return sorted(
            (lesson for lesson in self.lessons.values() if lesson.skill == skill),
            key=lambda lesson: (lesson.level, lesson.id),
        )
