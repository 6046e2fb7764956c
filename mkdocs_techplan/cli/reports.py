"""What the command prints: problems and plan lists, for a terminal, a script or GitHub Actions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.format.problems import Problem, capped, terminal_safe

FORMATS = ("text", "json", "github")
LIST_FORMATS = ("table", "json")
_COLUMNS = ("status", "version", "date", "title", "path")


def format_problems(problems: Sequence[Problem], checked: int, output_format: str) -> str:
    """The whole report on `checked` plan files, ending with a newline: at most
    `MAX_PER_FILE` problems a file listed, all of them counted in the summary."""
    shown = capped(problems)
    if output_format == "json":
        return json.dumps([problem_data(problem) for problem in shown], indent=2) + "\n"
    if output_format == "github":
        lines = [github_annotation(problem) for problem in shown]
    else:
        lines = [str(problem) for problem in shown]
    return "".join(line + "\n" for line in [*lines, summary(problems, checked)])


def problem_data(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.position.line,
        "column": problem.position.column,
        "message": problem.message,
    }


def github_annotation(problem: Problem) -> str:
    """`::error file=…,line=…,col=…::message`, escaped as the workflow command syntax wants."""
    # Line breaks are the syntax's own escapes; any other control character is the terminal's.
    return terminal_safe(
        f"::error file={_property(problem.file)},line={problem.position.line},"
        f"col={problem.position.column},title=techplan::{_data(problem.message)}"
    )


def summary(problems: Sequence[Problem], checked: int) -> str:
    """`checked 3 plan files: 2 problems in 1 file` or `checked 3 plan files: no problems`."""
    checked_text = f"checked {_count(checked, 'plan file')}"
    if not problems:
        return f"{checked_text}: no problems"
    files = len({problem.file for problem in problems})
    return f"{checked_text}: {_count(len(problems), 'problem')} in {_count(files, 'file')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def plan_data(plan: Plan) -> dict[str, object]:
    """One plan as `list --format json` shows it."""
    return {
        "title": plan.title,
        "status": plan.status,
        "version": plan.version,
        "date": plan.date.isoformat() if plan.date else None,
        "authors": list(plan.authors),
        "path": plan.source.display_path,
        "problems": len(plan.problems),
    }


def format_plans(plans: Sequence[Plan], output_format: str) -> str:
    """The plans as a table (columns aligned, one plan per line) or as a JSON list."""
    rows = [plan_data(plan) for plan in plans]
    if output_format == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    cells = [[column.upper() for column in _COLUMNS]]
    cells += [[_cell(row, column) for column in _COLUMNS] for row in rows]
    widths = [max(len(line[index]) for line in cells) for index in range(len(_COLUMNS))]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        + "\n"
        for line in cells
    )


def _cell(row: dict[str, object], column: str) -> str:
    value = row[column]
    if column == "status" and value is None:
        return "(invalid)"
    # Titles and paths come from files: control characters (ESC, BEL) are shown, not sent.
    return "-" if value is None else terminal_safe(" ".join(str(value).split()))
