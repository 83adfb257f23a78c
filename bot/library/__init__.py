"""The lesson library: content files -> checked, immutable values the bot can serve.

Admins edit ``content/`` (skills.yaml, lessons/<skill>/<id>.md, questions/<id>.yaml);
``check_library`` names the file and line of every mistake, ``LibraryHolder`` reloads without
ever dropping a working library.
"""

from bot.library.loader import LibraryHolder, LibraryInvalid, check_library, load_library
from bot.library.locales import KNOWN_LOCALES, ORIGINAL_LOCALE, normalize_locale
from bot.library.models import (
    Check,
    Lesson,
    LessonTranslation,
    Library,
    LocalizedLesson,
    LocalizedQuestion,
    Question,
    QuestionText,
    Skill,
    SkillText,
    Source,
)
from bot.library.mrkdwn import escape_mrkdwn, markdown_to_mrkdwn
from bot.library.problems import CheckReport, Problem

__all__ = [
    "KNOWN_LOCALES",
    "ORIGINAL_LOCALE",
    "Check",
    "CheckReport",
    "Lesson",
    "LessonTranslation",
    "Library",
    "LibraryHolder",
    "LibraryInvalid",
    "LocalizedLesson",
    "LocalizedQuestion",
    "Problem",
    "Question",
    "QuestionText",
    "Skill",
    "SkillText",
    "Source",
    "check_library",
    "escape_mrkdwn",
    "load_library",
    "markdown_to_mrkdwn",
    "normalize_locale",
]
