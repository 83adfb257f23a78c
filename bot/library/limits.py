"""Slack's limits as they apply to each piece of content, and reading-time rules.

Each number is the Block Kit limit of the element the Slack layer puts that text in; a lesson
that passes the checker can therefore never be refused by Slack.
"""

from __future__ import annotations

TITLE_MAX = 150  # header block text
OPTION_MAX = 75  # button text
OPTIONS_MIN = 2
OPTIONS_MAX = 5
SECTION_MAX = 3000  # section block text: each body block, the check question
EXPLANATION_MAX = 2000
PROMPT_MAX = 2000  # input block label of the weekly question modal
CHOICE_MAX = 75  # static_select option text
CHOICES_MIN = 2
CHOICES_MAX = 10
FOLLOW_UP_MAX = 2000  # input block hint

WORDS_PER_MINUTE = 200
READ_MINUTES_MAX = 2
BODY_WORDS_MAX = WORDS_PER_MINUTE * READ_MINUTES_MAX
LESSONS_PER_SKILL_MIN = 3
