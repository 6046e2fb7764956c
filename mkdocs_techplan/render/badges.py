"""Status badges: the HTML badge shown in pages and the standalone SVG badge."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from mkdocs_techplan.format.statuses import StatusStyle


def badge_html(status: StatusStyle | None, *, count: int | None = None) -> str:
    """The inline badge: `<span class="techplan-badge techplan-badge--approved">Approved</span>`."""
    text = "Unknown status" if status is None else html.escape(status.name)
    slug = "unknown" if status is None else status.slug
    if count is not None:
        text += f' <span class="techplan-badge__count">{count}</span>'
    return f'<span class="techplan-badge techplan-badge--{slug}">{text}</span>'


def status_css(statuses: Sequence[StatusStyle]) -> str:
    """Per-status colour rules, so badges keep their colour where inline styles are stripped."""
    return "".join(
        f".techplan-badge--{status.slug} {{ --techplan-status: {status.colour}; }}\n"
        for status in statuses
    )


UNKNOWN_COLOUR = "#b91c1c"
_LABEL_COLOUR = "#555"
_HEIGHT = 20
_PADDING = 6  # each side of a text, in pixels

# Approximate advance widths of Verdana at 11px, the font shields.io badges use: close enough
# that the text fits its box; exact metrics would need the font file.
_NARROW = frozenset("fijlrtI!.,:;'|() []")
_WIDE = frozenset("mwMW@%")


def _text_width(text: str) -> int:
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 3.9
        elif char in _WIDE:
            width += 10.7
        elif char.isupper() or char.isdigit() or not char.isascii():
            width += 7.6
        else:
            width += 6.6
    return round(width)


def badge_svg(status: StatusStyle | None, *, label: str = "plan") -> str:
    """A standalone shields-style badge, `plan | Approved`, in the status colour.

    The output depends only on the label and the status, so it is the same on every build.
    """
    value = "unknown" if status is None else status.name
    colour = UNKNOWN_COLOUR if status is None else status.colour
    left = _text_width(label) + 2 * _PADDING
    right = _text_width(value) + 2 * _PADDING
    total = left + right
    label_text = html.escape(xml_safe(label))
    value_text = html.escape(xml_safe(value))
    aria = html.escape(xml_safe(f"{label}: {value}"))
    shadow = 'fill="#010101" fill-opacity=".3"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{_HEIGHT}" '
        f'role="img" aria-label="{aria}">'
        f"<title>{aria}</title>"
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="{_HEIGHT}" rx="3" fill="#fff"/>'
        "</clipPath>"
        f'<g clip-path="url(#r)"><rect width="{left}" height="{_HEIGHT}" fill="{_LABEL_COLOUR}"/>'
        f'<rect x="{left}" width="{right}" height="{_HEIGHT}" fill="{colour}"/>'
        f'<rect width="{total}" height="{_HEIGHT}" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2:g}" y="15" {shadow}>{label_text}</text>'
        f'<text x="{left / 2:g}" y="14">{label_text}</text>'
        f'<text x="{left + right / 2:g}" y="15" {shadow}>{value_text}</text>'
        f'<text x="{left + right / 2:g}" y="14">{value_text}</text>'
        "</g></svg>\n"
    )


# Characters XML 1.0 does not allow anywhere (C0 controls but tab and line breaks, lone
# surrogates, U+FFFE and U+FFFF): a parser rejects the whole document for one of them.
# Written as these few ranges: the class of what XML allows, negated, took 4 ms to compile
# at every import.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with the characters XML 1.0 forbids replaced by U+FFFD, so the feed and the
    SVG badges stay well-formed whatever a plan holds."""
    return _NOT_XML.sub("\ufffd", text)
