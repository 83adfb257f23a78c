"""Load a `.po` catalogue with Babel and say messages, plurals, dates and times in its language."""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.i18n.message import Message, Value

# Babel is imported by the functions below that use it, when the first translator is made: `web`
# makes none before its first /healthz (bot.slack.app), and starts without Babel's modules.
if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

CATALOGUE_DIR = Path(__file__).parent / "catalogues"
LANGUAGES = ("en", "el")
FALLBACK = "en"

# How a day and time reads in each language: "Tuesday 6 April, 09:30", "Τρίτη 6 Απριλίου, 09:30".
WHEN_PATTERN = "EEEE d MMMM, HH:mm"
DAY_PATTERN = "EEEE d MMMM"


class MissingMessage(KeyError):
    """A message id that the catalogue does not hold: a bug the catalogue tests catch first."""


def language_of(setting: str | None, slack_locale: str | None) -> str:
    """The member's own language setting, else their Slack locale (`el-GR`), else English."""
    for candidate in (setting, slack_locale):
        if candidate:
            language = candidate.strip().replace("_", "-").split("-", 1)[0].lower()
            if language in LANGUAGES:
                return language
    return FALLBACK


@cache
def _catalogue(language: str) -> Catalog:
    from babel.messages.pofile import read_po

    with (CATALOGUE_DIR / f"{language}.po").open("rb") as handle:
        return read_po(handle, locale=language)


def catalogue_ids(language: str) -> frozenset[str]:
    """Every message id in a language's catalogue (plural messages by their singular id)."""
    return frozenset(
        str(message.id if isinstance(message.id, str) else message.id[0])
        for message in _catalogue(language)
        if message.id
    )


class Translator:
    """One language's messages. `t("help.intro", command="/learn")` fills `{command}`."""

    def __init__(self, language: str) -> None:
        from babel.messages.mofile import write_mo
        from babel.support import Translations

        self.language = language
        # Compiling the .po in memory keeps the repository free of binary .mo files.
        compiled = io.BytesIO()
        write_mo(compiled, _catalogue(language))
        compiled.seek(0)
        self._translations = Translations(compiled)
        self._ids = catalogue_ids(language)

    def __call__(self, message_id: str, **values: object) -> str:
        self._require(message_id)
        return self._translations.gettext(message_id).format(**values)

    def plural(self, message_id: str, count: int, **values: object) -> str:
        """`count` picks the language's plural form and fills `{count}`."""
        self._require(message_id)
        text = self._translations.ngettext(message_id, f"{message_id}.other", count)
        return text.format(count=count, **values)

    def say(self, message: Message) -> str:
        """A :class:`Message` in this language, the words among its values too."""
        values = {name: self._shown(value) for name, value in message.values}
        if message.count is None:
            return self(message.id, **values)
        return self.plural(message.id, message.count, **values)

    def _shown(self, value: Value) -> object:
        if isinstance(value, Message):
            return self.say(value)
        if isinstance(value, tuple):
            return ", ".join(str(self._shown(item)) for item in value)
        if isinstance(value, int) and not isinstance(value, bool):
            return _Number(value, self.language)
        return value

    def when(self, moment: datetime, zone: str) -> str:
        """A day and time in the member's own zone, as people write it in this language."""
        from babel.dates import format_datetime

        return format_datetime(moment, WHEN_PATTERN, tzinfo=ZoneInfo(zone), locale=self.language)

    def day(self, on: date) -> str:
        """A date as people write it in this language: "Monday 4 January", "Δευτέρα 4 Ιανουαρίου"."""
        from babel.dates import format_date

        return format_date(on, DAY_PATTERN, locale=self.language)

    def country(self, code: str) -> str:
        """A country's name in this language (CLDR's, through Babel): "Greece", "Ελλάδα"."""
        from babel import Locale

        return str(Locale.parse(self.language).territories.get(code.upper(), code.upper()))

    def _require(self, message_id: str) -> None:
        if message_id not in self._ids:
            raise MissingMessage(f"{message_id!r} is not in the {self.language} catalogue")


class _Number(int):
    """A number that a catalogue may group as its language does: ``{size:,}`` is "1,024" in
    English and "1.024" in Greek (Python's own ``,`` knows only the English way)."""

    language: str

    def __new__(cls, value: int, language: str) -> _Number:
        number = super().__new__(cls, value)
        number.language = language
        return number

    def __format__(self, spec: str) -> str:
        if spec == ",":
            from babel.numbers import format_decimal

            return format_decimal(int(self), locale=self.language)
        return int(self).__format__(spec)


@cache
def translator(language: str) -> Translator:
    """The translator for a language Nudge speaks; any other code gets English."""
    return Translator(language if language in LANGUAGES else FALLBACK)
