"""The lesson DM's Block Kit, built from plain data (no I/O)."""

from __future__ import annotations

from bot.i18n import translator
from bot.library import LocalizedLesson
from bot.library.limits import SECTION_MAX
from bot.slack.blocks.lesson import answered_message, lesson_message, parse_answer_value

EN = translator("en")


def _lesson(sections: tuple[str, ...], options: int = 3, locale: str = "en") -> LocalizedLesson:
    return LocalizedLesson(
        id="x-1",
        skill="x",
        locale=locale,
        title="A title",
        body_sections=sections,
        question="Which?",
        options=[f"Option {n}" for n in range(options)],
        answer_index=1,
        explanation="Because.",
        sources=[],
    )


def _sections(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_a_code_block_with_blank_lines_stays_in_one_section() -> None:
    code = "```\nline one\n\nline three\n```"
    message = lesson_message(EN, _lesson(("Intro.", code, "Outro.")), "Skill", 2, delivery_id=7)
    assert any(code in text for text in _sections(message.blocks))


def test_a_long_body_is_packed_into_sections_under_slacks_limit() -> None:
    paragraphs = tuple(f"Paragraph {n}. " + "word " * 300 for n in range(12))
    message = lesson_message(EN, _lesson(paragraphs), "Skill", 5, delivery_id=7)
    body = _sections(message.blocks)[:-1]  # the last section is the check question
    assert len(body) > 1 and all(len(text) <= SECTION_MAX for text in body)
    assert "\n\n".join(body) == "\n\n".join(paragraphs)


def test_each_option_is_a_button_whose_value_names_the_delivery_and_option() -> None:
    message = lesson_message(EN, _lesson(("Body.",), options=4), "Skill", 2, delivery_id=42)
    actions = message.blocks[-1]
    assert actions["type"] == "actions" and actions["block_id"] == "check"
    values = [parse_answer_value(e["value"]) for e in actions["elements"]]
    assert values == [(42, 0), (42, 1), (42, 2), (42, 3)]
    assert len({e["action_id"] for e in actions["elements"]}) == 4


def test_values_nudge_did_not_write_are_not_parsed() -> None:
    for value in ("", "7", "7:", ":1", "a:b", "-1:0", "1:-1", "1:2:3"):
        assert parse_answer_value(value) is None, value


def _answered(blocks: list[dict], choice: int) -> list[dict]:
    """The message after pressing option `choice` of a check whose answer is option 1."""
    return answered_message(
        EN,
        blocks,
        choice=choice,
        correct=choice == 1,
        answer_index=1,
        lesson=_lesson(("Body.",)),
    ).blocks


def test_the_answered_message_drops_the_buttons_and_shows_the_verdict() -> None:
    sent = lesson_message(EN, _lesson(("Body.",)), "Skill", 2, delivery_id=1)
    answered = _answered(sent.blocks, choice=0)
    assert not any(b["type"] == "actions" for b in answered)
    verdict = next(b for b in answered if b.get("block_id") == "result")["text"]["text"]
    assert verdict == ":x: *Not quite.* You chose _Option 0_; the answer is _Option 1_."


def test_answering_again_from_an_answered_message_does_not_repeat_the_verdict() -> None:
    sent = lesson_message(EN, _lesson(("Body.",)), "Skill", 2, delivery_id=1)
    once = _answered(sent.blocks, choice=1)
    twice = _answered(once + sent.blocks[-1:], choice=1)
    assert twice == once


def test_the_words_around_a_lesson_are_in_the_members_language() -> None:
    message = lesson_message(translator("el"), _lesson(("Σώμα.",)), "Στρατηγική", 1, delivery_id=3)
    context = message.blocks[1]["elements"][0]["text"]
    assert context == "*Στρατηγική* · 1 λεπτό ανάγνωσης"
    assert message.text == "Μάθημα: A title"
    check = _sections(message.blocks)[-1]
    assert check == "*Ελέγξτε τον εαυτό σας:* Which?"


def test_a_verdict_for_an_option_the_message_no_longer_shows_names_it_by_number() -> None:
    answered = answered_message(EN, [], choice=3, correct=False, answer_index=0, lesson=None)
    verdict = answered.blocks[0]["text"]["text"]
    assert verdict == ":x: *Not quite.* You chose _option 4_; the answer is _option 1_."
    assert answered.text == "A lesson: answered"


def test_a_review_says_it_is_one() -> None:
    message = lesson_message(EN, _lesson(("Body.",)), "Skill", 1, delivery_id=3, review=True)
    context = message.blocks[1]["elements"][0]["text"]
    assert context == "*Skill* · a review: it comes back so that it stays · 1 minute to read"


def test_the_admin_report_lists_the_lessons_slack_refused() -> None:
    from bot.library import CheckReport
    from bot.slack.blocks.library_report import library_report_message

    report = CheckReport(library=None, skills=1, lessons=2)
    message = library_report_message(EN, report, action="check", refused={"x-1": "invalid_blocks"})
    assert message.blocks[-1]["text"]["text"] == (
        ":warning: Slack refused these lessons when they were sent, so none of them goes out "
        "until the library is reloaded:\n`x-1` (invalid_blocks)"
    )
