"""Warnings that teach an author to write checks that test memory, not test-taking skill.

A learner who does not know the answer still scores when the right option is the longest, when
the question or the title repeats the right option's words, or when the right answer sits in
the same place most of the time. Each rule below names the cue and how to remove it; none
blocks the library (they are warnings), since only a person can judge the fix.

Words are compared case- and accent-insensitively (``Ά`` = ``α``, ``ς`` = ``σ``) and whole:
no stemming, so the rule is the same in every language and an author can see why it fired.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from bot.i18n import Message
from bot.library.lesson_files import LessonFile
from bot.library.problems import ProblemSink

# The right option is "longest by far" at this many times the longest other one (characters).
LONGEST_MARGIN = 1.2
# Only words this long carry meaning worth matching; shorter ones are articles and links.
KEY_WORD_LETTERS_MIN = 5
# Shared key words that give an answer away: one can be chance, two are a cue.
GIVEAWAY_WORDS_MIN = 2
# Library-wide rules need a library: below this many checks, counts say nothing.
LIBRARY_CHECKS_MIN = 16
POSITION_OPTIONS = 4  # position balance is judged among checks with this many options
POSITION_SPREAD_MIN = 3  # counts may differ by max(this, checks * POSITION_SPREAD_SHARE)
POSITION_SPREAD_SHARE = 1 / 8
LONGEST_SHARE_MAX = 1 / 4  # of all checks, at most this share may have the longest option right

# Words of KEY_WORD_LETTERS_MIN letters or more that say nothing about a topic. Written as a
# person would; compared after the same folding as the text (accents, case, final sigma).
STOP_WORDS_EN = """
    about above after again against always among another around because before being below
    between cannot could doing during either every first might never often other others should
    since something still their there these thing things those through under until using where
    which while whose without would yours
"""
STOP_WORDS_EL = """
    αυτός αυτή αυτό αυτοί αυτές αυτών αυτούς αυτήν είναι είμαστε έχουν έχετε είχαν μπορεί
    μπορούν μπορείτε πρέπει οποίος οποία οποίο οποίοι οποίες οποίων επειδή γιατί χωρίς μεταξύ
    μέχρι ακόμα ακόμη επίσης καθώς κάποιος κάποια κάποιο κάποιοι κάποιες τίποτα στους στον
    στην όλους πάντα πολλές πολλά πολλοί περισσότερο περισσότερα περισσότερες λιγότερο πρώτα
    πρώτο σχετικά ποιος ποιοι ποιες ποιον πόσες πόσοι εσείς εμείς δικός δική δικοί όταν όπως
"""

_LETTERS = re.compile(r"[^\W\d_]+")
# The right answer's place among the options, "1st" to "5th" (limits.OPTIONS_MAX).
_ORDINALS = (
    Message("check.part.first"),
    Message("check.part.second"),
    Message("check.part.third"),
    Message("check.part.fourth"),
    Message("check.part.fifth"),
)


def fold(word: str) -> str:
    """``Ακόλουθους`` -> ``ακολουθουσ``: no accents, case folded (``ς`` becomes ``σ``)."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


STOP_WORDS = frozenset(fold(word) for word in (STOP_WORDS_EN + STOP_WORDS_EL).split())


def words(text: str) -> dict[str, str]:
    """Each folded word of ``text`` -> the word as first written there."""
    found: dict[str, str] = {}
    for word in _LETTERS.findall(text):
        found.setdefault(fold(word), word)
    return found


def key_words(text: str) -> dict[str, str]:
    """The words that carry meaning: long enough and not a stop word."""
    return {
        folded: word
        for folded, word in words(text).items()
        if len(folded) >= KEY_WORD_LETTERS_MIN and folded not in STOP_WORDS
    }


def giveaway_words(answer: str, others: list[str], text: str) -> list[str]:
    """The right option's key words that ``text`` repeats and no other option uses."""
    elsewhere: set[str] = set()
    for option in others:
        elsewhere.update(words(option))
    repeated = words(text)
    return [
        word
        for folded, word in key_words(answer).items()
        if folded in repeated and folded not in elsewhere
    ]


def _quoted(found: list[str]) -> str:
    return ", ".join(f"'{word}'" for word in found)


def is_strictly_longest(answer: str, others: list[str]) -> bool:
    return all(len(answer) > len(option) for option in others)


def warn_check(lesson: LessonFile, sink: ProblemSink) -> None:
    """The longest option, the question or the title giving one lesson's answer away."""
    check = lesson.front.check
    if check.answer not in check.options:
        return  # reported as an error already
    position = check.options.index(check.answer)
    others = [option for index, option in enumerate(check.options) if index != position]
    if not others:
        return  # a check of one option is reported as an error already
    longest_other = max(len(option) for option in others)
    if len(check.answer) >= LONGEST_MARGIN * longest_other:
        sink.warning(
            lesson.path,
            lesson.lined.line_of(("check", "options", position)),
            Message(
                "check.problem.answer_longest",
                length=len(check.answer),
                others=longest_other,
            ),
        )
    in_question = giveaway_words(check.answer, others, check.question)
    if len(in_question) >= GIVEAWAY_WORDS_MIN:
        sink.warning(
            lesson.path,
            lesson.lined.line_of(("check", "question")),
            Message("check.problem.question_gives_answer", words=_quoted(in_question)),
        )
    in_title = giveaway_words(check.answer, others, lesson.front.title)
    if len(in_title) >= GIVEAWAY_WORDS_MIN:
        sink.warning(
            lesson.path,
            lesson.lined.line_of(("title",)),
            Message("check.problem.title_gives_answer", words=_quoted(in_title)),
        )


def warn_library(originals: list[LessonFile], at: Path, sink: ProblemSink) -> None:
    """Across the English checks: the right answer's position and how often it is longest."""
    checks = [lesson.front.check for lesson in originals]
    checks = [check for check in checks if check.answer in check.options]
    four = [check for check in checks if len(check.options) == POSITION_OPTIONS]
    if len(four) >= LIBRARY_CHECKS_MIN:
        counts = Counter(check.options.index(check.answer) for check in four)
        per_position = [counts[index] for index in range(POSITION_OPTIONS)]
        allowed = max(POSITION_SPREAD_MIN, len(four) * POSITION_SPREAD_SHARE)
        if max(per_position) - min(per_position) > allowed:
            shown = tuple(
                Message("check.part.position_count", position=_ORDINALS[index], answers=count)
                for index, count in enumerate(per_position)
            )
            rarest = tuple(
                _ORDINALS[index]
                for index, count in enumerate(per_position)
                if count == min(per_position)
            )
            sink.warning(
                at,
                1,
                Message(
                    "check.problem.answer_position_unbalanced",
                    checks=len(four),
                    options=POSITION_OPTIONS,
                    positions=shown,
                    rarest=rarest,
                    spread=int(allowed),
                ),
            )
    if len(checks) >= LIBRARY_CHECKS_MIN:
        longest = sum(
            is_strictly_longest(check.answer, [o for o in check.options if o != check.answer])
            for check in checks
        )
        if longest > len(checks) * LONGEST_SHARE_MAX:
            sink.warning(
                at,
                1,
                Message(
                    "check.problem.answer_longest_too_often",
                    longest=longest,
                    checks=Message("check.part.checks", count=len(checks)),
                    most=int(len(checks) * LONGEST_SHARE_MAX),
                ),
            )
