"""The message catalogues: the same ids in English and Greek, every id used, none missing."""

from __future__ import annotations

import ast
import re
import string
from datetime import UTC, datetime

import pytest

from bot.i18n import LANGUAGES, MissingMessage, catalogue_ids, language_of, translator
from tests.conftest import REPO

# A message id as the code writes it: lower-case words joined by dots, e.g. "help.line.now".
MESSAGE_ID = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _trees(folder: str = "bot") -> list[ast.AST]:
    return [ast.parse(path.read_text(), str(path)) for path in (REPO / folder).rglob("*.py")]


def _string_literals(folder: str = "bot") -> set[str]:
    found: set[str] = set()
    for tree in _trees(folder):
        for node in ast.walk(tree):
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


def _message_calls() -> list[tuple[str, set[str], bool]]:
    """Each ``Message("id", count=..., name=...)`` in the code: its id, the names of the values
    it fills, and whether it gives a count."""
    calls = []
    for tree in _trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Message"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = {keyword.arg for keyword in node.keywords if keyword.arg}
                calls.append((str(node.args[0].value), names - {"count"}, "count" in names))
    return calls


def _texts(language: str, message_id: str) -> list[str]:
    """A message's text in a language: both plural forms for a message that has them."""
    translations = translator(language)._translations
    one, other = translations.ngettext(message_id, f"{message_id}.other", 1), None
    if one != message_id:  # a plural entry answers ngettext; a plain one answers the id back
        other = translations.ngettext(message_id, f"{message_id}.other", 2)
        return [one, other]
    return [translations.gettext(message_id)]


def _placeholders(text: str) -> set[str]:
    """The values a text fills: ``{count}``, ``{size:,}`` (``{{`` is a brace, not a value)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


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
    # Messages are said at the Slack edge, and the library's problems are kept as ids to be
    # said later; a string there shaped like an id, in one of the catalogue's namespaces, is
    # one (Slack method names such as "chat.update" are not).
    namespaces = {message_id.split(".")[0] for message_id in catalogue_ids("en")}
    named = {
        text
        for folder in ("bot/slack", "bot/library")
        for text in _string_literals(folder)
        if MESSAGE_ID.match(text) and text.split(".")[0] in namespaces
    } - _action_ids()
    assert named, "the scan found no message ids at all"
    assert "check.problem.yaml_tab" in named, "the scan missed the library's problems"
    assert sorted(named - catalogue_ids("en")) == []


def test_every_message_the_code_builds_is_in_the_catalogues_with_its_values() -> None:
    calls = _message_calls()
    assert len(calls) > 100, "the scan found too few Message(...) calls"
    for message_id, names, counted in calls:
        assert message_id in catalogue_ids("en"), message_id
        texts = _texts("en", message_id)
        assert counted == (len(texts) == 2), f"{message_id}: a count needs plural forms"
        for text in texts:
            assert _placeholders(text) - {"count"} == names, message_id


def test_every_translation_fills_the_same_values_as_english() -> None:
    for message_id in sorted(catalogue_ids("en")):
        english, greek = _texts("en", message_id), _texts("el", message_id)
        assert len(english) == len(greek), message_id
        for english_text, greek_text in zip(english, greek, strict=True):
            assert _placeholders(english_text) == _placeholders(greek_text), message_id


def test_every_problem_reads_differently_in_greek() -> None:
    """A Greek entry copied from English would pass the parity tests and still be English."""
    same = sorted(
        message_id
        for message_id in catalogue_ids("en")
        if message_id.startswith("check.")
        and translator("en")._translations.gettext(message_id)
        == translator("el")._translations.gettext(message_id)
    )
    # Nothing but values and punctuation: `{name}: {detail}` and the like.
    assert same == ["check.problem.field_detail"]


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
