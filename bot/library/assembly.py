"""Lessons built from checked files: each original with the translations that match it."""

from __future__ import annotations

from datetime import date

from bot.i18n import Message
from bot.library.lesson_files import LessonFile
from bot.library.models import Check, Lesson, LessonTranslation, Source
from bot.library.problems import ProblemSink
from bot.library.schema import LessonFrontMatter, SourceFile, TranslationFrontMatter


def _sources(sources: list[SourceFile] | None) -> list[Source]:
    return [Source(s.title, s.url) for s in sources or []]


def _check(front: LessonFrontMatter | TranslationFrontMatter) -> Check:
    check = front.check
    return Check(check.question, list(check.options), check.answer)


def attach_translations(
    files: list[LessonFile],
    translated: list[LessonFile],
    lesson_files: set[tuple[str, str]],
    sink: ProblemSink,
) -> dict[str, Lesson]:
    """Build lessons with their translations, checking each translation against its original.

    ``files`` are the valid originals, ``translated`` the valid translations, ``lesson_files``
    every original's (folder, stem) even when broken.
    """
    originals: dict[tuple[str, str], LessonFile] = {
        (lesson.folder, lesson.stem_id): lesson for lesson in files
    }
    translations: dict[tuple[str, str], dict[str, LessonTranslation]] = {}
    for item in translated:
        original = originals.get((item.folder, item.stem_id))
        if original is None and (item.folder, item.stem_id) in lesson_files:
            continue  # the original is broken and already reported
        if original is None:
            sink.error(
                item.path, 1, Message("check.problem.translation_without_original", id=item.stem_id)
            )
            continue
        if not _matches_original(item, original, sink):
            continue
        assert item.locale is not None
        front = item.front
        translations.setdefault((item.folder, item.stem_id), {})[item.locale] = LessonTranslation(
            locale=item.locale,
            title=front.title,
            check=_check(front),
            explanation=front.explanation,
            sources=_sources(front.sources) if front.sources else _sources(original.front.sources),
            body=item.body,
            path=item.path,
        )
    lessons: dict[str, Lesson] = {}
    for lesson in files:
        front = lesson.front
        assert isinstance(front, LessonFrontMatter)
        lessons.setdefault(
            front.id,
            Lesson(
                id=front.id,
                skill=front.skill,
                level=front.level,
                title=front.title,
                minutes=front.minutes,
                check=_check(front),
                explanation=front.explanation,
                sources=_sources(front.sources),
                body=lesson.body,
                path=lesson.path,
                translations=translations.get((lesson.folder, lesson.stem_id), {}),
                checked=front.checked,
            ),
        )
    return lessons


def _as_written(value: object) -> str:
    """A field's value as a file writes it: a ``checked`` month as ``2026-05``."""
    return f"{value:%Y-%m}" if isinstance(value, date) else repr(value)


def _matches_original(item: LessonFile, original: LessonFile, sink: ProblemSink) -> bool:
    """Inherited fields equal, same number of options, the answer at the same position."""
    ok = True
    for name in ("id", "skill", "level", "minutes", "checked"):
        value = getattr(item.front, name)
        expected = getattr(original.front, name)
        if value is not None and value != expected:
            sink.error(
                item.path,
                item.lined.line_of((name,)),
                Message(
                    "check.problem.translation_field_differs",
                    field=name,
                    value=_as_written(value),
                    original=_as_written(expected),
                ),
            )
            ok = False
    mine, theirs = item.front.check, original.front.check
    if len(mine.options) != len(theirs.options):
        sink.error(
            item.path,
            item.lined.line_of(("check", "options")),
            Message(
                "check.problem.translation_option_count",
                options=Message("check.part.options", count=len(mine.options)),
                original=len(theirs.options),
            ),
        )
        return False
    if mine.answer in mine.options and theirs.answer in theirs.options:
        position, expected_position = (
            mine.options.index(mine.answer),
            theirs.options.index(theirs.answer),
        )
        if position != expected_position:
            sink.error(
                item.path,
                item.lined.line_of(("check", "answer")),
                Message(
                    "check.problem.translation_answer_position",
                    number=position + 1,
                    original=expected_position + 1,
                ),
            )
            ok = False
    return ok
