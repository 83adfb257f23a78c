"""The message catalogues: the same ids in English and Greek, every id used, none missing."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime

import pytest

from bot.i18n import LANGUAGES, MissingMessage, catalogue_ids, language_of, translator
from tests.conftest import REPO

# A message id as the code writes it: lower-case words joined by dots, e.g. "help.line.now".
MESSAGE_ID = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _string_literals(folder: str = "bot") -> set[str]:
    found: set[str] = set()
    for path in (REPO / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _action_ids(folder: str = "bot/slack") -> set[str]:
    """Block Kit action ids, which may share a namespace with messages ("home.pause"): the
    constants named `..._ACTION`."""
    found: set[str] = set()
    for path in (REPO / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and any(isinstance(t, ast.Name) and t.id.endswith("_ACTION") for t in node.targets)
            ):
                found.add(node.value.value)
    return found


def test_every_catalogue_holds_the_same_messages() -> None:
    english = catalogue_ids("en")
    for language in LANGUAGES:
        ids = catalogue_ids(language)
        assert sorted(english - ids) == [], f"missing from {language}.po"
        assert sorted(ids - english) == [], f"only in {language}.po"


def test_every_message_in_the_catalogues_is_used_by_the_code() -> None:
    literals = _string_literals()
    assert sorted(catalogue_ids("en") - literals) == []


def test_every_message_id_the_code_names_is_in_the_catalogues() -> None:
    # Every message is said at the Slack edge; a string there shaped like an id, in one of the
    # catalogue's namespaces, is one (Slack method names such as "chat.update" are not).
    namespaces = {message_id.split(".")[0] for message_id in catalogue_ids("en")}
    named = {
        text
        for text in _string_literals("bot/slack")
        if MESSAGE_ID.match(text) and text.split(".")[0] in namespaces
    } - _action_ids()
    assert named, "the scan found no message ids at all"
    assert sorted(named - catalogue_ids("en")) == []


def test_every_translation_fills_the_same_values_as_english() -> None:
    english, greek = translator("en"), translator("el")
    for message_id in sorted(catalogue_ids("en")):
        placeholders = {
            lang: set(re.findall(r"\{(\w+)\}", t._translations.gettext(message_id)))
            for lang, t in (("en", english), ("el", greek))
        }
        assert placeholders["en"] == placeholders["el"], message_id


def test_plurals_follow_the_count() -> None:
    assert translator("en").plural("library.errors", 1) == "1 error"
    assert translator("en").plural("library.errors", 2) == "2 errors"
    assert translator("el").plural("library.errors", 1) == "1 σφάλμα"
    assert translator("el").plural("library.errors", 0) == "0 σφάλματα"


def test_a_day_and_time_reads_as_people_write_it_in_their_own_zone() -> None:
    # 06:30 UTC in April is 09:30 in Athens (summer time) and 07:30 in London.
    moment = datetime(2027, 4, 6, 6, 30, tzinfo=UTC)
    assert translator("el").when(moment, "Europe/Athens") == "Τρίτη 6 Απριλίου, 09:30"
    assert translator("en").when(moment, "Europe/London") == "Tuesday 6 April, 07:30"
    # In January the same UTC time is an hour earlier on Athens' clocks.
    winter = datetime(2027, 1, 5, 6, 30, tzinfo=UTC)
    assert translator("el").when(winter, "Europe/Athens") == "Τρίτη 5 Ιανουαρίου, 08:30"


@pytest.mark.parametrize(
    ("setting", "slack_locale", "language"),
    [
        ("el", "en-US", "el"),
        (None, "el-GR", "el"),
        (None, "fr-FR", "en"),
        (None, None, "en"),
        ("de", "el_GR", "el"),
    ],
)
def test_the_language_is_the_members_setting_else_slacks_locale_else_english(
    setting: str | None, slack_locale: str | None, language: str
) -> None:
    assert language_of(setting, slack_locale) == language


def test_an_id_missing_from_the_catalogue_fails_loudly() -> None:
    with pytest.raises(MissingMessage, match=r"'help\.nothing' is not in the el catalogue"):
        translator("el")("help.nothing")


def test_the_catalogues_ship_inside_the_package() -> None:
    assert {path.name for path in (REPO / "bot" / "i18n" / "catalogues").glob("*.po")} == {
        f"{language}.po" for language in LANGUAGES
    }
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"bot.i18n" = ["catalogues/*.po"]' in pyproject
