"""``check_library``: read every content file, report every fault, build the library if clean.

It never raises for bad content: the Slack layer shows its report to an admin after a failed
reload, and the CLI prints it, so every fault must become a :class:`Problem` with a line.
Nothing outside the content directory is read, nor anything but plain files within a size
cap (see ``sourcefile``), so no file can make a check or a reload hang or run out of memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.i18n import Message
from bot.library import limits
from bot.library.assembly import attach_translations
from bot.library.lesson_files import LessonFile, read_lesson_file
from bot.library.locales import KNOWN_LOCALES, ORIGINAL_LOCALE
from bot.library.models import Library, Skill, SkillText
from bot.library.mrkdwn import escape_mrkdwn
from bot.library.pedagogy import warn_check, warn_library
from bot.library.problems import CheckReport, ProblemSink
from bot.library.question_files import QuestionEntry, read_question_file
from bot.library.schema import SkillFile, SkillsFile
from bot.library.sourcefile import ContentRoot, FileFault, Kind, read_text, unreadable
from bot.library.validation import Report, StatedIds, describe, valid_id, validate
from bot.library.yamllines import LinedYaml, YamlFault, parse_yaml


@dataclass
class _Scan:
    """Everything read so far; files that failed validation are counted but not kept, though
    the id and skill they state are (``stated_*``) for the cross-file rules."""

    skills: dict[str, Skill] = field(default_factory=dict)
    skill_lines: dict[str, int] = field(default_factory=dict)  # every readable skill id
    skill_count: int = 0
    lessons: list[LessonFile] = field(default_factory=list)
    lesson_files: set[tuple[str, str]] = field(default_factory=set)  # (folder, stem), even broken
    stated_lessons: list[StatedIds] = field(default_factory=list)
    translations: list[LessonFile] = field(default_factory=list)
    lesson_count: int = 0
    translation_count: int = 0
    questions: list[QuestionEntry] = field(default_factory=list)
    stated_questions: list[StatedIds] = field(default_factory=list)
    question_count: int = 0


def check_library(content_dir: Path, today: date) -> CheckReport:
    """Check ``content_dir`` (skills.yaml, lessons/, questions/) and report every problem.

    ``today`` dates the ``checked:`` months (a month to come is an error, an old one a warning).
    """
    sink = ProblemSink(content_dir)
    scan = _Scan()
    if not content_dir.is_dir():
        sink.error(content_dir, 1, Message("check.problem.no_content_directory"))
        return CheckReport(library=None, problems=sink.sorted())
    root = ContentRoot(content_dir)
    skills_ok = _read_skills(content_dir / "skills.yaml", root, scan, sink)
    _read_lessons(content_dir / "lessons", root, scan, sink, today)
    _read_questions(content_dir / "questions", root, scan, sink)
    if skills_ok:
        _check_skills_known(scan, sink)
        _warn_thin_skills(content_dir / "skills.yaml", scan, sink)
    _check_duplicate_ids(scan, sink)
    for lesson in (*scan.lessons, *scan.translations):
        warn_check(lesson, sink)
    warn_library(scan.lessons, content_dir / "skills.yaml", sink)
    lessons = attach_translations(scan.lessons, scan.translations, scan.lesson_files, sink)
    problems = sink.sorted()
    library = None
    if not any(p.severity == "error" for p in problems):
        library = Library(
            skills=dict(scan.skills),
            lessons=lessons,
            questions={entry.question.id: entry.question for entry in scan.questions},
        )
    return CheckReport(
        library=library,
        problems=problems,
        skills=scan.skill_count,
        lessons=scan.lesson_count,
        translations=scan.translation_count,
        questions=scan.question_count,
    )


def _read_skills(path: Path, root: ContentRoot, scan: _Scan, sink: ProblemSink) -> bool:
    """Fill ``scan.skills``; False when the skill ids cannot all be known (skip skill checks).

    Ids are taken from the raw data, so one skill with a missing description does not make
    every lesson's skill look unknown.
    """

    def report(line: int, message: Message) -> None:
        sink.error(path, line, message)

    found = root.find(path)
    if found.kind is not Kind.FILE:
        report(1, found.fault or Message("check.problem.no_skills_file"))
        return False
    try:
        lined = parse_yaml(read_text(path, root))
    except (FileFault, YamlFault) as fault:
        report(fault.line, fault.message)
        return False
    for readable in lined.faults:  # the data is still whole: check the rest too
        report(readable.line, readable.message)
    entries = lined.data.get("skills") if isinstance(lined.data, dict) else None
    known = isinstance(entries, list)
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        skill_id = valid_id(entry.get("id")) if isinstance(entry, dict) else None
        if skill_id is None:
            known = False  # validation reports it
            continue
        line = lined.line_of(("skills", index, "id"))
        if skill_id in scan.skill_lines:
            first = scan.skill_lines[skill_id]
            also = f"{sink.relative(path)}:{first}"
            report(line, Message("check.problem.duplicate_skill_id", id=skill_id, also=also))
            continue
        scan.skill_lines[skill_id] = line
    scan.skill_count = len(entries) if isinstance(entries, list) else 0
    parsed = validate(SkillsFile, lined, report)
    _long_skill_names(lined, parsed.skills if parsed else [], report)
    for entry in parsed.skills if parsed else []:
        scan.skills.setdefault(
            entry.id,
            Skill(
                id=entry.id,
                name=entry.name,
                description=entry.description,
                translations={
                    code: SkillText(text.name, text.description)
                    for code, text in entry.translations.items()
                },
            ),
        )
    return known


def _long_skill_names(lined: LinedYaml, skills: list[SkillFile], report: Report) -> None:
    """A skill name, in every language, must fit where Slack shows it (mrkdwn escapes count)."""
    for index, entry in enumerate(skills):
        names = [(("name",), entry.name)] + [
            (("translations", code, "name"), text.name) for code, text in entry.translations.items()
        ]
        for loc, name in names:
            where = ("skills", index, *loc)
            if (shown := len(escape_mrkdwn(name))) > limits.SKILL_NAME_MAX:
                report(
                    lined.line_of(where),
                    Message(
                        "check.problem.skill_name_too_long",
                        name=describe(where),
                        length=shown,
                        most=limits.SKILL_NAME_MAX,
                    ),
                )


def _entries(directory: Path, root: ContentRoot, sink: ProblemSink) -> list[tuple[Path, Kind]]:
    """A folder's entries (hidden ones skipped) that are files or folders which may be read;
    the others (a pipe, a link out of the content directory) are reported and left out."""
    try:
        paths = sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        sink.error(directory, 1, unreadable(exc))
        return []
    entries: list[tuple[Path, Kind]] = []
    for path in paths:
        found = root.find(path)
        if found.fault is not None:
            sink.error(path, 1, found.fault)
        elif found.kind is not Kind.MISSING:  # MISSING: removed while being listed
            entries.append((path, found.kind))
    return entries


def _is_folder(path: Path, root: ContentRoot, sink: ProblemSink) -> bool:
    """True for a folder that may be listed; lessons/ or questions/ may be absent."""
    found = root.find(path)
    if found.fault is not None:
        sink.error(path, 1, found.fault)
    return found.kind is Kind.FOLDER


def _read_lessons(
    lessons_dir: Path, root: ContentRoot, scan: _Scan, sink: ProblemSink, today: date
) -> None:
    if not _is_folder(lessons_dir, root, sink):
        return
    for folder, kind in _entries(lessons_dir, root, sink):
        if kind is not Kind.FOLDER:
            sink.error(folder, 1, Message("check.problem.lesson_outside_skill_folder"))
            continue
        for path, entry in _entries(folder, root, sink):
            _read_one_lesson(path, entry, folder.name, root, scan, sink, today)


def _read_one_lesson(
    path: Path,
    kind: Kind,
    folder: str,
    root: ContentRoot,
    scan: _Scan,
    sink: ProblemSink,
    today: date,
) -> None:
    if kind is Kind.FOLDER:
        sink.error(path, 1, Message("check.problem.lesson_sub_folder"))
        return
    if not path.name.endswith(".md"):
        sink.warning(path, 1, Message("check.problem.not_a_lesson_file"))
        return
    parts = path.name[: -len(".md")].split(".")
    if len(parts) == 1:
        scan.lesson_count += 1
        scan.lesson_files.add((folder, parts[0]))
        read = read_lesson_file(path, root, folder, parts[0], None, sink, today)
        if read.stated is not None:
            scan.stated_lessons.append(read.stated)
        if read.lesson is not None:
            scan.lessons.append(read.lesson)
        return
    if len(parts) != 2:
        sink.error(path, 1, Message("check.problem.lesson_file_name"))
        return
    scan.translation_count += 1
    stem_id, locale = parts
    if locale == ORIGINAL_LOCALE:
        sink.error(path, 1, Message("check.problem.translation_file_is_english"))
        return
    if locale not in KNOWN_LOCALES:
        known = tuple(sorted(KNOWN_LOCALES))
        sink.error(path, 1, Message("check.problem.unknown_file_locale", code=locale, known=known))
        return
    translation = read_lesson_file(path, root, folder, stem_id, locale, sink, today).lesson
    if translation is not None:
        scan.translations.append(translation)


def _read_questions(questions_dir: Path, root: ContentRoot, scan: _Scan, sink: ProblemSink) -> None:
    if not _is_folder(questions_dir, root, sink):
        return
    for path, kind in _entries(questions_dir, root, sink):
        if path.suffix not in (".yaml", ".yml") or kind is Kind.FOLDER:
            sink.warning(path, 1, Message("check.problem.not_a_question_file"))
            continue
        scan.question_count += 1
        read = read_question_file(path, root, sink)
        if read.stated is not None:
            scan.stated_questions.append(read.stated)
        if read.entry is not None:
            scan.questions.append(read.entry)


def _check_skills_known(scan: _Scan, sink: ProblemSink) -> None:
    known = tuple(scan.skill_lines)
    for lesson in scan.stated_lessons:
        folder, stem_id = lesson.path.parent.name, lesson.path.name[: -len(".md")]
        if lesson.id is not None and lesson.id != stem_id:
            sink.error(
                lesson.path,
                lesson.id_line,
                Message("check.problem.lesson_id_not_file_name", id=lesson.id, stem=stem_id),
            )
        if lesson.skill is None:
            continue
        if lesson.skill not in scan.skill_lines:
            sink.error(
                lesson.path,
                lesson.skill_line,
                Message("check.problem.unknown_skill", skill=lesson.skill, known=known),
            )
        elif lesson.skill != folder:
            sink.error(
                lesson.path,
                lesson.skill_line,
                Message("check.problem.skill_not_folder", skill=lesson.skill, folder=folder),
            )
    for question in scan.stated_questions:
        if question.skill is not None and question.skill not in scan.skill_lines:
            sink.error(
                question.path,
                question.skill_line,
                Message("check.problem.question_unknown_skill", skill=question.skill, known=known),
            )


def _warn_thin_skills(path: Path, scan: _Scan, sink: ProblemSink) -> None:
    counts = dict.fromkeys(scan.skill_lines, 0)
    for folder, _ in scan.lesson_files:  # broken lessons count: they are reported already
        if folder in counts:
            counts[folder] += 1
    for skill, count in counts.items():
        if count < limits.LESSONS_PER_SKILL_MIN:
            sink.warning(
                path,
                scan.skill_lines[skill],
                Message(
                    "check.problem.thin_skill",
                    skill=skill,
                    lessons=Message("library.lessons", count=count),
                    least=limits.LESSONS_PER_SKILL_MIN,
                ),
            )


def _check_duplicate_ids(scan: _Scan, sink: ProblemSink) -> None:
    """Lessons and weekly questions share one id space: progress rows are keyed by it."""
    places = [
        (item.id, item.path, item.id_line)
        for item in (*scan.stated_lessons, *scan.stated_questions)
        if item.id is not None
    ]
    first: dict[str, tuple[Path, int]] = {}
    for item_id, path, line in sorted(places, key=lambda p: (str(p[1]), p[2])):
        if item_id in first:
            other_path, other_line = first[item_id]
            also = f"{sink.relative(other_path)}:{other_line}"
            sink.error(path, line, Message("check.problem.duplicate_id", id=item_id, also=also))
        else:
            first[item_id] = (path, line)
