"""Slack's limits as they apply to each piece of content, reading-time rules, and file limits.

Each Slack number is the Block Kit limit of the element the Slack layer puts that text in; a
lesson that passes the checker can therefore never be refused by Slack.
"""

from __future__ import annotations

TITLE_MAX = 150  # header block text
# A skill name heads the lesson's context line and one line of the Home tab; a header's limit
# keeps it a label wherever it is shown (the Home tab packs its lines into sections).
SKILL_NAME_MAX = 150
OPTION_MAX = 75  # button text
OPTIONS_MIN = 2
OPTIONS_MAX = 5
SECTION_MAX = 3000  # section block text: each body section
# The check question shares its section with a translated label ("*Check yourself:* ", 18
# characters in English, 25 in Greek); this much room is kept for the label in any language.
CHECK_LABEL_ROOM = 100
CHECK_QUESTION_MAX = SECTION_MAX - CHECK_LABEL_ROOM
EXPLANATION_MAX = 2000
PROMPT_MAX = 2000  # input block label of the weekly question modal
CHOICE_MAX = 75  # static_select option text
CHOICES_MIN = 2
CHOICES_MAX = 10
FOLLOW_UP_MAX = 2000  # input block hint

# Slack takes at most 50 blocks in a message. A lesson DM is a header, a context line, the
# body's sections, a divider, the check question and the buttons; once answered, the buttons
# give way to a result and an explanation, one block more. So 50 - 6 sections for the body.
MESSAGE_BLOCKS_MAX = 50
BODY_SECTIONS_MAX = MESSAGE_BLOCKS_MAX - 6

WORDS_PER_MINUTE = 200
READ_MINUTES_MAX = 2
# One idea in two minutes leaves room for the check: a body of at most 250 words (a warning
# above it; the errors above are for what Slack cannot show). A translation may run a little
# longer, as Greek does against its English source.
BODY_WORDS_MAX = 250
TRANSLATION_BODY_WORDS_MAX = 300
LESSONS_PER_SKILL_MIN = 3
# A lesson's platform facts (``checked: YYYY-MM``) are stale when verified more than this
# many months before today.
CHECKED_MONTHS_MAX = 12

# The checker's own limits, so that no file (an admin's slip or a hostile one) can make a
# check or a reload hang, exhaust memory or fill the report.
#
# Bytes read from one file at most. A lesson is a two-minute read (about 400 words: 3 KiB in
# English, 6 KiB in Greek, the largest shipped file); the most a lesson message could carry
# is 44 sections of 3,000 characters, 130 to 260 KiB of UTF-8. 256 KiB therefore refuses no
# file the bot could deliver, leaves skills.yaml room for every skill in every locale, and
# stops a 20 MB file (or /dev/zero behind a link) after 256 KiB instead of reading it whole.
FILE_BYTES_MAX = 256 * 1024
# Keys in one YAML mapping: the largest a content file needs is 'translations', one key per
# locale (32); a lesson's front matter has 9. Each unknown key is one problem in the report.
MAPPING_KEYS_MAX = 100
# Values (keys, scalars, lists, mappings) in one YAML document: the largest shipped file has
# 138; skills.yaml with 9 skills each translated into every locale would have under 2,000.
YAML_NODES_MAX = 10_000
