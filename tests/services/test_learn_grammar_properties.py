"""Whatever follows `/learn`, Nudge answers with a message a person can read: no exception, no
empty answer, nothing over Slack's limits. Run on the dispatcher with an in-memory database."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.limits import SECTION_MAX
from bot.services.deps import Deps
from bot.slack.listeners.commands.handlers import Request
from bot.slack.listeners.commands.subcommands import dispatch
from tests.services.conftest import PeopleAndDMs, caller

WORDS = st.sampled_from(
    ["help", "now", "why", "pause", "resume", "join", "leave", "admin", "check", "reload",
     "until", "2027-01-04", "1w", "3d", "0d", "999w", "payload", "<!channel>", "`", "*", "ΣΑ"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(WORDS, max_size=4).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2000, max_size=5000),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, who=st.sampled_from(["U0CHLOE001", "U0DIMI0001", "U0ADMIN001"]))
def test_any_text_gets_a_readable_answer_within_slacks_limits(
    deps: Deps, slack: PeopleAndDMs, text: str, who: str
) -> None:
    message = dispatch(Request(deps, slack, caller(who), "/learn"), text)  # type: ignore[arg-type]
    assert message.text.strip()
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert sections and all(0 < len(section) <= SECTION_MAX for section in sections)
