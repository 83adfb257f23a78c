"""The locales a lesson may be translated into, and how a Slack locale picks one.

A fixed table (not a lookup library) keeps the checker's answer stable: a typo such as
``gr`` for Greek is an error an admin sees at once, not a silent fallback to English.
"""

from __future__ import annotations

ORIGINAL_LOCALE = "en"
"""English is the language of every original lesson and the fallback for every member."""

KNOWN_LOCALES: dict[str, str] = {
    "en": "English",
    "el": "Greek",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "fi": "Finnish",
    "nb": "Norwegian Bokmål",
    "cs": "Czech",
    "sk": "Slovak",
    "hu": "Hungarian",
    "ro": "Romanian",
    "bg": "Bulgarian",
    "hr": "Croatian",
    "sl": "Slovenian",
    "uk": "Ukrainian",
    "ru": "Russian",
    "tr": "Turkish",
    "ar": "Arabic",
    "he": "Hebrew",
    "hi": "Hindi",
    "id": "Indonesian",
    "ms": "Malay",
    "th": "Thai",
    "vi": "Vietnamese",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
}


def normalize_locale(slack_locale: str | None) -> str:
    """Map a Slack locale such as ``el-GR`` to a library locale (``el``); unknown -> English.

    Slack reports a member's locale with a region (``en-US``, ``pt-BR``); the library keys
    translations by language only, so a region never needs its own copy of a lesson.
    """
    if not slack_locale:
        return ORIGINAL_LOCALE
    language = slack_locale.strip().replace("_", "-").split("-", 1)[0].lower()
    return language if language in KNOWN_LOCALES else ORIGINAL_LOCALE
