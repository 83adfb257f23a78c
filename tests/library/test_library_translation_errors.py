"""Translations: locale, original, and agreement with the original's check.

The translation template (conftest.TRANSLATION) has: 2 title, 3 check, 4 question, 5 options,
6-8 the options, 9 answer, 10 explanation, 12 body.
"""

from __future__ import annotations

from library_content import SKILLS, TRANSLATION, ContentDir

EL = "lessons/strategy/strategy-goal.el.md"


def edited(old: str, new: str) -> str:
    assert old in TRANSLATION, old
    return TRANSLATION.replace(old, new, 1)


def problems(content: ContentDir) -> list[str]:
    code, lines = content.check()
    assert code == 1, lines
    return lines[:-1]


def test_unknown_locale_in_file_name(content: ContentDir) -> None:
    content.remove(EL)
    content.write("lessons/strategy/strategy-goal.gr.md", TRANSLATION)
    [problem] = problems(content)
    assert problem.startswith(
        content.at(
            "lessons/strategy/strategy-goal.gr.md",
            1,
            "unknown locale 'gr' in the file name (known: ar, bg, cs, da, de, el, en, es,",
        )
    )


def test_english_translation_file_is_refused(content: ContentDir) -> None:
    content.write("lessons/strategy/strategy-goal.en.md", TRANSLATION)
    assert problems(content) == [
        content.at(
            "lessons/strategy/strategy-goal.en.md",
            1,
            "'en' is the original language; an English lesson is <id>.md",
        )
    ]


def test_unknown_locale_as_translations_key(content: ContentDir) -> None:
    content.write("skills.yaml", SKILLS.replace("      el: {name:", "      gk: {name:"))
    [problem] = problems(content)
    assert problem.startswith(
        content.at("skills.yaml", 6, "unknown locale 'gk' (known: ar, bg, cs, da, de, el, en,")
    )


def test_translation_without_original(content: ContentDir) -> None:
    content.write("lessons/strategy/strategy-goals.el.md", TRANSLATION)
    assert problems(content) == [
        content.at(
            "lessons/strategy/strategy-goals.el.md",
            1,
            "translation without an original: strategy-goals.md is not in this folder",
        )
    ]


def test_translation_with_a_different_number_of_options(content: ContentDir) -> None:
    content.write(EL, edited("    - Ποιο δίκτυο μεγαλώνει πιο γρήγορα\n", ""))
    assert problems(content) == [
        content.at(
            EL,
            5,
            "the translation has 2 options but the original has 3; translate each option in "
            "the same order",
        )
    ]


def test_translation_answer_at_a_different_position(content: ContentDir) -> None:
    content.write(
        EL,
        edited(
            "  answer: Ποιο επιχειρηματικό αποτέλεσμα θα κινήσουν",
            "  answer: Ποιο δίκτυο μεγαλώνει πιο γρήγορα",
        ),
    )
    assert problems(content) == [
        content.at(
            EL,
            9,
            "the answer is option 2 but in the original it is option 1; keep the options in "
            "the original's order",
        )
    ]


def test_translation_answer_not_among_its_own_options(content: ContentDir) -> None:
    content.write(EL, edited("  answer: Ποιο", "  answer: Ποιό"))
    assert problems(content) == [
        content.at(EL, 9, "'check.answer' must be one of the options, word for word")
    ]


def test_translation_inherited_field_must_match(content: ContentDir) -> None:
    content.write(EL, edited("---\ntitle:", "---\nlevel: 2\ntitle:"))
    assert problems(content) == [
        content.at(EL, 2, "'level' is 2 but the original says 1; omit it to inherit the original's")
    ]


def test_translation_missing_field(content: ContentDir) -> None:
    content.write(EL, edited("explanation: Οι ακόλουθοι είναι μέσο, όχι σκοπός.\n", ""))
    assert problems(content) == [content.at(EL, 2, "missing required field 'explanation'")]


def test_translation_markdown_is_checked_too(content: ContentDir) -> None:
    content.write(EL, TRANSLATION + "\n# Επικεφαλίδα\n")
    assert problems(content) == [
        content.at(EL, 14, "Slack cannot show headings; use a **bold** line instead")
    ]
