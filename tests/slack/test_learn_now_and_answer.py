"""`/learn now` and the check buttons, driven the way Slack drives them: signed HTTP to /slack/events,
the bot's real WebClient calling the local Slack."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.localslack import LocalSlack, Message
from bot.store import tables
from tests.conftest import Bot, start_bot


def _count(bot: Bot, table: type[tables.Base]) -> int:
    with bot.deps.db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def lesson_for(bot: Bot, user_id: str) -> Message:
    """Ask for a lesson and return the DM it arrived in (waiting, bounded, for the lazy listener)."""
    before = len(bot.slack.dm_messages(user_id))
    reply = bot.ask(user_id, "now")
    lesson = bot.slack.dm_messages(user_id)[before]
    title = lesson.blocks[0]["text"]["text"]
    assert reply.text in (
        f":mailbox_with_mail: Your lesson *{title}* is in your DMs with Nudge.",
        f":mailbox_with_mail: Το μάθημά σας *{title}* σας περιμένει στα προσωπικά μηνύματα με το "
        "Nudge.",
    )
    # A snapshot, as the member's Slack client holds it: later updates do not change it.
    return copy.deepcopy(bot.slack.dm_messages(user_id)[before])


def buttons(message: Message) -> list[dict]:
    return [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def current(bot: Bot, message: Message) -> Message:
    return next(m for m in bot.slack.messages(message.channel) if m.ts == message.ts)


def wait_answered(bot: Bot, message: Message) -> Message:
    bot.settle()
    return current(bot, message)


def test_now_sends_a_lesson_dm_with_the_check_as_buttons(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)

    assert message.channel == bot.slack.dm_channel_id(member)
    types = [block["type"] for block in message.blocks]
    assert types[0] == "header" and types[-1] == "actions"
    title = message.blocks[0]["text"]["text"]
    assert title.startswith("The ") and "lesson number" in title
    options = [b["text"]["text"] for b in buttons(message)]
    assert options == ["The wrong one", "The right one", "Another wrong one"]
    # Slack accepted the blocks: the local Slack refuses what breaks Block Kit's limits.
    post = bot.slack.calls_to("chat.postMessage")[-1]
    assert post.ok, post.response
    delivery = _only_delivery(bot)
    assert (delivery.status, delivery.ts, delivery.channel_id) == (
        "sent",
        message.ts,
        message.channel,
    )


def _only_delivery(bot: Bot) -> tables.Delivery:
    with Session(bot.deps.db.engine) as session:
        return session.scalars(select(tables.Delivery)).one()


def test_pressing_the_right_answer_records_it_and_closes_the_check(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)

    response = bot.driver.click(member, message, index=2)  # "The right one"

    assert response.status == 200
    answered = wait_answered(bot, message)
    text = " ".join(
        b.get("text", {}).get("text", "") for b in answered.blocks if b["type"] == "section"
    )
    assert "Right." in text and "The right one" in text
    context = [b for b in answered.blocks if b["type"] == "context"][-1]
    assert "test library says so" in context["elements"][0]["text"]
    with Session(bot.deps.db.engine) as session:
        saved = session.scalars(select(tables.Response)).one()
    assert (saved.choice, saved.correct, saved.lesson_id) == (
        1,
        True,
        _only_delivery(bot).lesson_id,
    )


def test_a_wrong_answer_shows_the_right_one(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)

    bot.driver.click(member, message, index=1)

    answered = wait_answered(bot, message)
    verdict = next(b for b in answered.blocks if b.get("block_id") == "result")["text"]["text"]
    assert "Not quite" in verdict and "The wrong one" in verdict and "The right one" in verdict


def test_pressing_twice_or_a_second_answer_records_one_response(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)  # the message as it was before any press, buttons and all

    first = bot.driver.click(member, message, index=2)
    again = bot.driver.click(member, message, index=2)
    other = bot.driver.click(member, message, index=1)

    assert (first.status, again.status, other.status) == (200, 200, 200)
    bot.settle()
    assert len([e for e in bot.slack.ephemerals(member) if "already answered" in e.text]) == 2
    assert _count(bot, tables.Response) == 1
    with Session(bot.deps.db.engine) as session:
        assert session.scalars(select(tables.Response.choice)).one() == 1
    assert not buttons(current(bot, message))


def test_someone_elses_lesson_cannot_be_answered(bot: Bot) -> None:
    member, other = bot.user("member"), bot.user("greek")
    message = lesson_for(bot, member)

    bot.driver.click(other, message, index=2)

    bot.settle()
    refusal = bot.slack.ephemerals(other)[-1]
    # The refusal is in the language of the person who pressed, not the lesson's.
    assert refusal.text == (
        "Αυτό το μάθημα στάλθηκε σε κάποιον άλλον, οπότε η απάντησή σας δεν καταγράφηκε."
    )
    assert _count(bot, tables.Response) == 0
    assert buttons(current(bot, message)), "the owner can still answer"


def test_a_forged_button_value_is_refused_and_changes_nothing(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)
    forged = Message(
        channel=message.channel,
        ts=message.ts,
        user=message.user,
        text=message.text,
        blocks=[
            {
                "type": "actions",
                "block_id": "check",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "check_answer_0",
                        "value": "not-a-lesson",
                        "text": {"type": "plain_text", "text": "x"},
                    },
                    {
                        "type": "button",
                        "action_id": "check_answer_1",
                        "value": "99999:0",
                        "text": {"type": "plain_text", "text": "y"},
                    },
                    {
                        "type": "button",
                        "action_id": "check_answer_2",
                        "value": f"{_only_delivery(bot).id}:7",
                        "text": {"type": "plain_text", "text": "z"},
                    },
                ],
            }
        ],
    )

    before = len(bot.slack.ephemerals(member))
    for index in (1, 2, 3):
        assert bot.driver.click(member, forged, index=index).status == 200

    bot.settle()
    texts = [e.text for e in bot.slack.ephemerals(member)[before:]]
    assert sorted(texts) == sorted(
        [
            "That button is not one of Nudge's lessons, so nothing was recorded.",
            "I can't find that lesson any more, so nothing was recorded.",
            "That option is not part of this lesson, so nothing was recorded.",
        ]
    )
    assert _count(bot, tables.Response) == 0


def test_a_greek_speaker_gets_the_greek_translation(bot: Bot) -> None:
    greek = bot.user("greek")
    # The least-engaged area is chosen per member; ask until the translated lesson comes.
    for _ in range(9):
        message = lesson_for(bot, greek)
        if message.blocks[0]["text"]["text"] == "Το μάθημα άλφα αριθμός 1":
            break
    else:
        raise AssertionError("the Greek member never received the Greek translation of alpha-1")
    assert [b["text"]["text"] for b in buttons(message)] == ["Η λάθος", "Η σωστή", "Μια άλλη λάθος"]
    assert any("Ελέγξτε τον εαυτό σας" in b.get("text", {}).get("text", "") for b in message.blocks)
    bot.driver.click(greek, message, index=2)
    answered = wait_answered(bot, message)
    verdict = next(b for b in answered.blocks if b.get("block_id") == "result")["text"]["text"]
    assert "Σωστά." in verdict and "Η σωστή" in verdict


def test_lessons_rotate_across_skill_areas(bot: Bot) -> None:
    member = bot.user("member")
    skills = []
    for _ in range(3):
        lesson_for(bot, member)
    with Session(bot.deps.db.engine) as session:
        skills = session.scalars(select(tables.Delivery.skill).order_by(tables.Delivery.id)).all()
    assert sorted(skills) == ["alpha", "beta", "gamma"]


def test_a_rate_limited_post_is_retried_after_retry_after(bot: Bot) -> None:
    member = bot.user("member")
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=7, times=1)

    message = lesson_for(bot, member)

    posts = bot.slack.calls_to("chat.postMessage")
    assert [call.status for call in posts] == [429, 200]
    # The client waited (here: noted that it would wait) Retry-After plus under a second of jitter.
    assert len(bot.waits) == 1 and 7 <= bot.waits[0] < 8
    assert _only_delivery(bot).ts == message.ts
    assert len(bot.slack.dm_messages(member)) == 1


def test_a_lesson_slack_refuses_is_marked_failed_and_the_member_told(bot: Bot) -> None:
    member = bot.user("member")
    bot.slack.fail_next("chat.postMessage", status=500, times=5)

    notice = bot.ask(member, "now")

    assert notice.text == (
        ":warning: Slack refused the lesson (`internal_error`), so nothing was sent. Please try again later."
    )
    assert bot.slack.calls_to("chat.postMessage")[-1].status == 500
    assert len(bot.slack.calls_to("chat.postMessage")) == 3  # the first try and two retries
    assert _only_delivery(bot).status == "failed"
    assert bot.slack.dm_messages(member) == []


def test_a_failure_inside_nudge_shows_an_apology_not_a_traceback(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)
    with bot.deps.db.engine.begin() as connection:  # the database loses a table under us
        connection.exec_driver_sql("DROP TABLE responses")

    before = len(bot.slack.ephemerals(member))
    response = bot.driver.click(member, message, index=2)

    assert (response.status, response.body) == (200, "")
    bot.settle()
    (apology,) = bot.slack.ephemerals(member)[before:]
    assert apology.text == (
        ":warning: Something went wrong on Nudge's side and nothing was changed. Please try again "
        "in a minute; if it keeps happening, tell your Nudge admin."
    )
    seen = [apology.text, *(m.text for m in bot.slack.dm_messages(member))]
    assert not any("Traceback" in text or "sqlalchemy" in text.lower() for text in seen)
    assert buttons(current(bot, message)), "the lesson stays answerable once the fault is fixed"


def test_presses_arriving_together_record_one_response(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(
            pool.map(lambda i: bot.driver.click(member, message, index=i % 3 + 1).status, range(6))
        )

    assert statuses == [200] * 6
    bot.settle()
    assert _count(bot, tables.Response) == 1
    assert len([e for e in bot.slack.ephemerals(member) if "already answered" in e.text]) == 5


def test_an_answer_saved_while_slack_refuses_the_update_is_said_to_be_saved(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)
    bot.slack.fail_next("chat.update", status=500, times=3)  # the first try and both retries

    bot.driver.click(member, message, index=2)

    bot.settle()
    assert bot.slack.ephemerals(member)[-1].text == (
        "Your answer is saved, but Slack would not let me update the message, so it still shows "
        "the buttons; pressing one again changes nothing."
    )
    assert _count(bot, tables.Response) == 1


def test_asking_too_often_gets_a_friendly_later_in_the_members_language(
    slack: LocalSlack, database_url: str
) -> None:
    running = start_bot(slack, database_url, now_per_hour=1)
    try:
        greek = running.user("greek")
        running.ask(greek, "now")
        assert running.ask(greek, "now").text == (
            "Αρκετά μαθήματα για μία ώρα· κάθε μάθημα μένει καλύτερα μετά από ένα διάλειμμα. "
            "Μπορείτε να ζητήσετε ξανά από Πέμπτη 26 Νοεμβρίου, 12:30."
        )
        assert len(running.slack.dm_messages(greek)) == 1
    finally:
        running.close()


def test_a_lesson_slack_refuses_as_invalid_is_skipped_and_the_next_one_sent(bot: Bot) -> None:
    member = bot.user("member")
    bot.slack.fail_next("chat.postMessage", status=200, error="invalid_blocks")

    refused = bot.ask(member, "now")
    assert refused.text == (
        ":warning: Slack refused the lesson (`invalid_blocks`), so nothing was sent. Please try "
        "again later."
    )
    (lesson_id,) = bot.deps.library.refused
    lesson_for(bot, member)
    assert [status for _id, status in _all_deliveries(bot)] == ["failed", "sent"]
    assert _all_deliveries(bot)[1][0] != lesson_id


def _all_deliveries(bot: Bot) -> list[tuple[str, str]]:
    with Session(bot.deps.db.engine) as session:
        return [
            (row.lesson_id, row.status)
            for row in session.scalars(select(tables.Delivery).order_by(tables.Delivery.id))
        ]


def test_a_lesson_slack_stalls_on_past_the_timeout_is_counted_once_and_the_member_told(
    slack: LocalSlack, database_url: str
) -> None:
    """Slack silent past the client's timeout: the lesson may or may not have been posted. It is
    recorded as "unknown" at once (counted as sent, never sent again, not left claimed), and the
    member is told just that, not "sent" and not "nothing was sent"."""
    running = start_bot(slack, database_url, slack_timeout=1)
    try:
        member = running.user("member")
        slack.slow_next("chat.postMessage", 60)  # far past the timeout; ended when Slack stops

        notice = running.ask(member, "now")

        ((stalled, status),) = _all_deliveries(running)
        title = running.deps.library.current.lessons[stalled].localized("en").title
        assert notice.text == (
            f":grey_question: Slack did not answer in time, so I can't tell whether your lesson "
            f"*{title}* reached your DMs. It will not be sent twice: if it is not there, ask for "
            "another with `/learn now`."
        )
        assert status == "unknown"
        assert len(slack.calls_to("chat.postMessage")) == 0  # a stalled post is not retried
        again = lesson_for(running, member)
        assert [s for _id, s in _all_deliveries(running)] == ["unknown", "sent"]
        assert again.blocks[0]["text"]["text"] != title
    finally:
        running.close()
