"""Every word Nudge says to a person, in English and Greek, from gettext catalogues read by Babel.

The catalogues (`catalogues/<locale>.po`) key each message by a stable id such as `help.intro`,
so the English text can change without touching the Greek one, and a test can prove that both
catalogues hold the same ids and that every id is used. A person's language is their own Nudge
setting when they have one, else their Slack locale, else English.
"""

from bot.i18n.message import Message, Value
from bot.i18n.translator import (
    CATALOGUE_DIR,
    LANGUAGES,
    MissingMessage,
    Translator,
    catalogue_ids,
    language_of,
    translator,
)

__all__ = [
    "CATALOGUE_DIR",
    "LANGUAGES",
    "Message",
    "MissingMessage",
    "Translator",
    "Value",
    "catalogue_ids",
    "language_of",
    "translator",
]
