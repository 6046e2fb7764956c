"""Plans in machine form: `plans.json` (shape in `schema/plans.schema.json`) and an Atom feed.

Both depend only on the sources: no build time, stable order, fixed formatting, so that two
builds of the same sources are byte-identical.
"""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from mkdocs_techplan.format.definition import Key
from mkdocs_techplan.format.model import ChecklistItem, Fields, Reference
from mkdocs_techplan.render.badges import xml_safe
from mkdocs_techplan.site.placement import PlacedPlan
from mkdocs_techplan.site.references import Link

FORMAT_VERSION = 1
ATOM = "http://www.w3.org/2005/Atom"
_EPOCH = "1970-01-01T00:00:00Z"

UrlOf = Callable[[str], "str | None"]
"""Site-relative URL of a page or file by its `src_uri` (None if it is not in the site)."""


def plans_json_schema() -> dict[str, Any]:
    """The JSON Schema of `plans.json`, as shipped in the package."""
    text = resources.files("mkdocs_techplan").joinpath("schema/plans.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@dataclass(frozen=True)
class ExportContext:
    """What the exports need to know about the site besides the plans."""

    url_of: UrlOf
    site_url: str | None
    """The site's `site_url` (with a trailing slash), or None."""
    index_url: str | None
    """Site-relative URL of the plans index, when there is one."""
    badge_uri: Callable[[PlacedPlan], str | None]
    """The `src_uri` of a plan's `status.svg`, when it was written."""
    statuses: Sequence[str]
    superseded_status: str = "Superseded"
    """What a superseded plan counts as (the site's spelling, when it configures it)."""
    site_keys: Sequence[Key] = ()
    """The site's own fields and sections (`fields` of each plan)."""


def plans_json(ordered: Sequence[PlacedPlan], context: ExportContext) -> str:
    """Every plan as data, in the index's order."""
    counts = {name: 0 for name in context.statuses}
    for item in ordered:
        shown = item.shown_status(context.superseded_status)
        if shown in counts or shown == context.superseded_status:
            counts[shown] = counts.get(shown, 0) + 1
    document = {
        "format": FORMAT_VERSION,
        "site_url": context.site_url,
        "index": _urls(context.index_url, context.site_url),
        "counts": counts,
        "plans": [_plan_entry(item, context) for item in ordered],
    }
    # Compact: the C encoder (`indent` switches to the pure-Python one, five times slower).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _plan_entry(item: PlacedPlan, context: ExportContext) -> dict[str, Any]:
    plan = item.plan
    checklist = plan.checklist_items
    badge = context.badge_uri(item)
    return {
        "title": plan.title,
        "id": plan.id,
        "status": plan.status,
        "effective_status": item.shown_status(context.superseded_status),
        "version": plan.version,
        "authors": list(plan.authors),
        "date": plan.date.isoformat() if plan.date else None,
        **_urls(item.file.url, context.site_url),
        "badge": _urls(context.url_of(badge), context.site_url) if badge else None,
        "source": plan.source.src_uri,
        "specification": [_link(link, context) for link in item.links.specification],
        "supersedes": [_link(link, context) for link in item.links.supersedes],
        "relations": {
            kind: [_link(link, context) for link in getattr(item.links, kind)]
            for kind in RELATION_KINDS
        },
        "tags": list(plan.tags),
        "summary": plan.summary,
        "open_questions": plan.open_question_count,
        "high_risks": plan.high_risk_count,
        "checklist": {"done": sum(checklist), "total": len(checklist)},
        "fields": {
            key.name: _field_value(plan.fields[key.name], item.links.fields.get(key.name), context)
            for key in context.site_keys
            if plan.fields.get(key.name)
        },
    }


def _field_value(value: Any, link: Link | None, context: ExportContext) -> Any:
    """A site field or section as JSON: texts, lists of texts, a link, checklist entries
    `{item, done}`, table rows `{column: text}`."""
    if isinstance(value, Reference):
        return (
            _link(link, context)
            if link
            else {"text": value.text, "url": None, "absolute_url": None}
        )
    if isinstance(value, list):
        return [_field_value(entry, None, context) for entry in value]
    if isinstance(value, ChecklistItem):
        return {"item": value.text, "done": value.done}
    if isinstance(value, Fields):
        return {name: part for name, part in value.items() if part}
    return value


def _urls(url: str | None, site_url: str | None) -> dict[str, str | None]:
    if url is None:
        return {"url": None, "absolute_url": None}
    return {"url": url, "absolute_url": _absolute(url, site_url)}


def _absolute(url: str, site_url: str | None) -> str | None:
    return urllib.parse.urljoin(site_url, url) if site_url else None


RELATION_KINDS = ("depends_on", "required_by", "extends", "extended_by", "related")
"""Both sides of each relation, as `plans.json` lists them."""


def _link(link: Link, context: ExportContext) -> dict[str, Any]:
    if link.href is None:
        return {"text": link.text, "url": None, "absolute_url": None}
    if link.external:
        return {"text": link.text, "url": link.href, "absolute_url": link.href}
    page = context.url_of(link.target) if link.target else None
    anchor = link.href.partition("#")[2]
    url = None if page is None else page + (f"#{anchor}" if anchor else "")
    return {"text": link.text, **_urls(url, context.site_url)}


def atom_feed(
    ordered: Sequence[PlacedPlan],
    context: ExportContext,
    *,
    site_url: str,
    feed_url: str,
    title: str,
    author: str,
) -> str:
    """An Atom feed of the dated plans, newest first (Atom needs a date for every entry).

    `feed_url` is the feed's own site-relative URL; `author` stands in for plans without one.
    """
    dated = [item for item in ordered if item.plan.date is not None]
    # Unqualified names under an `xmlns` attribute: the same document as namespaced elements,
    # without ElementTree's process-wide `register_namespace`.
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "id", urllib.parse.urljoin(site_url, feed_url))
    _text(feed, "title", title)
    _text(feed, "updated", _timestamp(dated[0]) if dated else _EPOCH)
    _link_element(feed, urllib.parse.urljoin(site_url, feed_url), rel="self")
    _link_element(feed, urllib.parse.urljoin(site_url, context.index_url or ""), rel="alternate")
    _text(ET.SubElement(feed, "author"), "name", author)
    _text(feed, "generator", "mkdocs-techplan")
    for item in dated:
        plan = item.plan
        url = urllib.parse.urljoin(site_url, item.file.url)
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", url)
        _text(entry, "title", f"{plan.title} ({plan.status or 'unknown status'})")
        _text(entry, "updated", _timestamp(item))
        _link_element(entry, url, rel="alternate")
        for name in plan.authors:
            _text(ET.SubElement(entry, "author"), "name", name)
        if plan.status:
            ET.SubElement(entry, "category", term=plan.status, label="status")
        for tag in plan.tags:
            ET.SubElement(entry, "category", term=tag)
        if plan.summary:
            _text(entry, "summary", " ".join(plan.summary.split()))
    ET.indent(feed)
    body = xml_safe(ET.tostring(feed, encoding="unicode"))  # ElementTree writes them as they are
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, name).text = text


def _link_element(parent: ET.Element, href: str, *, rel: str) -> None:
    attributes = {"rel": rel, "href": href}
    if rel == "self":
        attributes["type"] = "application/atom+xml"
    ET.SubElement(parent, "link", attributes)


def _timestamp(item: PlacedPlan) -> str:
    date = item.plan.date
    return f"{date.isoformat()}T00:00:00Z" if date else _EPOCH
