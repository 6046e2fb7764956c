"""Visual summaries on a plan page, in HTML and CSS only: the risk matrix and the phase timeline.

Both are raw HTML blocks in the page's Markdown, so every text from the plan is HTML-escaped
here (Markdown is not processed inside them) and shown literally.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mkdocs_techplan.format.dates import parse_date
from mkdocs_techplan.format.model import Phase, Risk
from mkdocs_techplan.format.site_format import DEFAULT_RISK_LEVELS
from mkdocs_techplan.markdown import escaping as markdown_text

_DAYS_PER_UNIT = {
    "hour": 1 / 8,  # a working day
    "day": 1.0,
    "week": 7.0,
    "month": 30.0,
    "quarter": 91.0,
    "year": 365.0,
}
_UNIT_NAMES = {
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "m": "month", "mo": "month", "mos": "month", "month": "month", "months": "month",
    "q": "quarter", "quarter": "quarter", "quarters": "quarter",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}  # fmt: skip
_NUMBER = r"(\d+(?:[.,]\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|half an?)"
_DURATION = re.compile(
    rf"^(?:about|around|approx\.?|approximately|~|≈)?\s*{_NUMBER}"
    rf"(?:\s*(?:-|\u2013|\u2014|to)\s*{_NUMBER})?\s*"  # hyphen, en dash, em dash
    r"(?:(?:working|business|calendar)\s+)?([a-z]+)\.?$"
)
_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "half a": 0.5,
    "half an": 0.5,
}  # fmt: skip


MAX_DURATION_DAYS = 100 * 365
"""Longer durations (100 years) are not drawn: they are typing mistakes or attacks."""


def parse_duration(text: str) -> float | None:
    """Days in a duration such as `3 days`, `2 weeks`, `1.5 months`, `2-3 weeks` (the upper
    bound), `10d`; None when it cannot be read. A week is 7 days and a month 30."""
    match = _DURATION.match(" ".join(text.casefold().split()))
    if match is None:
        return None
    unit = _UNIT_NAMES.get(match[3])
    amount = _amount(match[2] or match[1])
    if unit is None or amount is None or amount <= 0:
        return None
    days = amount * _DAYS_PER_UNIT[unit]
    # `1e400 days` reads as infinity: no timeline is drawn for what no plan means.
    return days if days <= MAX_DURATION_DAYS else None


def _amount(text: str) -> float | None:
    if text in _WORDS:
        return _WORDS[text]
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def risk_matrix(risks: Sequence[Risk], levels: Sequence[str] = DEFAULT_RISK_LEVELS) -> str:
    """A table of the site's risk levels (highest first), impact (rows, highest at the top) by
    probability (columns, lowest first), each risk in its cell; risks missing either rating
    are listed under the table. Empty without risks."""
    if not risks:
        return ""
    axis = tuple(reversed(levels))  # lowest first, as the axes read
    cells: dict[tuple[str, str], list[tuple[int, Risk]]] = {}
    unplaced: list[tuple[int, Risk]] = []
    for number, risk in enumerate(risks, start=1):
        if risk.impact in axis and risk.probability in axis:
            cells.setdefault((risk.impact, risk.probability), []).append((number, risk))
        else:
            unplaced.append((number, risk))
    lines = [
        '<div class="techplan-risk-matrix">',
        '<table class="techplan-risk-matrix__table">',
        "<caption>Risk matrix: impact by probability</caption>",
        "<thead>",
        '<tr><td class="techplan-risk-matrix__corner">Impact ↓ · Probability →</td>'
        + "".join(f'<th scope="col">{html.escape(level)}</th>' for level in axis)
        + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for impact in reversed(axis):
        row = [f'<tr><th scope="row">{html.escape(impact)}</th>']
        for probability in axis:
            severity = _severity(axis.index(impact), axis.index(probability), len(axis))
            entries = cells.get((impact, probability), [])
            items = "".join(
                f'<li><span class="techplan-risk-matrix__number">{number}</span> '
                f"{html.escape(markdown_text.to_plain_text(risk.risk))}</li>"
                for number, risk in entries
            )
            content = f"<ul>{items}</ul>" if items else ""
            row.append(
                f'<td class="techplan-risk-matrix__cell techplan-risk-matrix__cell--{severity}" '
                f'data-impact="{html.escape(impact.lower())}" '
                f'data-probability="{html.escape(probability.lower())}">'
                f"{content}</td>"
            )
        lines.append("".join(row) + "</tr>")
    lines += ["</tbody>", "</table>"]
    if unplaced:
        names = "; ".join(
            f"{number}. {html.escape(markdown_text.to_plain_text(risk.risk))}"
            for number, risk in unplaced
        )
        lines.append(
            '<p class="techplan-note">Not in the matrix (impact or probability missing): '
            f"{names}</p>"
        )
    lines.append("</div>")
    return "\n".join(lines)


def _severity(impact: int, probability: int, count: int) -> str:
    """`high`, `medium` or `low` from the ranks (0 = lowest) of a cell among `count` levels:
    with three levels, High by Medium is high and Medium by Medium medium."""
    score = (impact + 1) * (probability + 1) / count**2
    return "high" if score >= 6 / 9 else "medium" if score >= 3 / 9 else "low"


@dataclass(frozen=True)
class _Bar:
    number: int
    phase: Phase
    days: float | None


def phase_timeline(phases: Sequence[Phase]) -> str:
    """Phases one after another as bars proportional to their durations; a duration that
    cannot be read gets a note instead of a bar. Empty when no phase gives a duration.
    When every phase has a `start` and an `end`, the bars are placed on those dates instead
    (phases may then overlap or leave gaps)."""
    dated = _dated_bars(phases)
    if dated is not None:
        return dated
    bars = [
        _Bar(number, phase, parse_duration(phase.duration) if phase.duration else None)
        for number, phase in enumerate(phases, start=1)
    ]
    if not any(phase.duration for phase in phases):
        return ""
    total = sum(bar.days for bar in bars if bar.days)
    summary = ""
    if total:
        every_phase = all(bar.days for bar in bars)
        scope = "in all" if every_phase else "for the phases whose duration could be read"
        summary = f" (about {_describe_days(total)} {scope})"
    lines = [
        '<div class="techplan-timeline">',
        f'<p class="techplan-timeline__title">Timeline{summary}</p>',
        "<ol>",
    ]
    elapsed = 0.0
    for bar in bars:
        label = _label(bar.number, bar.phase)
        lines.append('<li class="techplan-timeline__phase">')
        lines.append(f'<span class="techplan-timeline__label">{label}</span>')
        if bar.days:
            start = _percent(elapsed, total)
            width = _percent(bar.days, total)
            lines.append(
                '<span class="techplan-timeline__track">'
                f'<span class="techplan-timeline__bar" style="margin-left: {start}%; '
                f'width: {width}%"></span></span>'
            )
            elapsed += bar.days
        elif bar.phase.duration:
            lines.append(
                '<span class="techplan-note">The duration '
                f"“{html.escape(bar.phase.duration)}” could not be read, so this phase has no "
                "bar; write it like “3 days”, “2 weeks” or “1 month”.</span>"
            )
        else:
            lines.append('<span class="techplan-note">No duration given.</span>')
        lines.append("</li>")
    lines += ["</ol>", "</div>"]
    return "\n".join(lines)


def _label(number: int, phase: Phase) -> str:
    # A raw HTML block: the name's Markdown would show as written, so it is shown as text.
    label = f"Phase {number}: {html.escape(markdown_text.to_plain_text(phase.name))}"
    return label + (f" ({html.escape(phase.duration)})" if phase.duration else "")


def _dated_bars(phases: Sequence[Phase]) -> str | None:
    """The timeline on a calendar, when every phase has a start and an end not before it."""
    spans = []
    for phase in phases:
        start = parse_date(phase.start) if phase.start else None
        end = parse_date(phase.end) if phase.end else None
        if start is None or end is None or end < start:
            return None
        spans.append((start, end))
    if not spans:
        return None
    first = min(start for start, _ in spans)
    last = max(end for _, end in spans)
    days = (last - first).days + 1  # both ends count: a phase of one day has a bar
    lines = [
        '<div class="techplan-timeline">',
        f'<p class="techplan-timeline__title">Timeline ({first.isoformat()} to '
        f"{last.isoformat()}, about {_describe_days(days)})</p>",
        "<ol>",
    ]
    for number, (phase, (start, end)) in enumerate(zip(phases, spans, strict=True), start=1):
        offset = _percent((start - first).days, days)
        width = _percent((end - start).days + 1, days)
        lines += [
            '<li class="techplan-timeline__phase">',
            f'<span class="techplan-timeline__label">{_label(number, phase)}</span>',
            '<span class="techplan-timeline__track">'
            f'<span class="techplan-timeline__bar" style="margin-left: {offset}%; '
            f'width: {width}%" title="{start.isoformat()} → {end.isoformat()}"></span></span>',
            "</li>",
        ]
    lines += ["</ol>", "</div>"]
    return "\n".join(lines)


def _percent(part: float, whole: float) -> str:
    # Rounded and formatted explicitly so that the page is byte-identical on every build.
    return f"{100 * part / whole:.2f}".rstrip("0").rstrip(".")


def _describe_days(days: float) -> str:
    if days >= 60:
        return _count(days / 30, "month")
    if days >= 14:
        return _count(days / 7, "week")
    return _count(days, "day")


def _count(amount: float, unit: str) -> str:
    rounded = round(amount * 2) / 2  # to the half unit: an estimate of estimates
    text = f"{rounded:g}"
    return f"{text} {unit}" + ("" if rounded == 1 else "s")
