"""The few words Nudge itself says around a lesson, in the lesson's language (English fallback)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "check": "*Check yourself:*",
        "read": "{minutes} min read",
        "right": ":white_check_mark: *Right.* You chose _{chosen}_.",
        "wrong": ":x: *Not quite.* You chose _{chosen}_; the answer is _{right}_.",
        "lesson": "Lesson: {title}",
        "answered": "{title}: answered",
    },
    "el": {
        "check": "*Ελέγξτε τον εαυτό σας:*",
        "read": "{minutes}' ανάγνωση",
        "right": ":white_check_mark: *Σωστά.* Επιλέξατε _{chosen}_.",
        "wrong": ":x: *Όχι ακριβώς.* Επιλέξατε _{chosen}_· η σωστή απάντηση είναι _{right}_.",
        "lesson": "Μάθημα: {title}",
        "answered": "{title}: απαντήθηκε",
    },
}


def phrase(locale: str, key: str, **values: object) -> str:
    table = PHRASES.get(locale, PHRASES["en"])
    return table[key].format(**values)
