"""What the example site's plan files say, as the e2e tests expect to see it in the browser."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for

from .support import EXAMPLE_SITE

DOCS = EXAMPLE_SITE / "docs"

SECTIONS: dict[str, str] = {
    # top-level key of plan.yaml → the heading of the section it fills (README, "The plan.yaml
    # format"), with the example site's `preset: rfc` and its own `slos` where the README
    # places them
    "motivation": "Motivation",
    "guide_level_explanation": "Guide-level explanation",
    "architecture": "Architecture Overview",
    "reference_level_explanation": "Reference-level explanation",
    "components": "Component Design",
    "data_model": "Data Model",
    "api": "API Design",
    "backwards_compatibility": "Backwards Compatibility",
    "phases": "Implementation Approach",
    "testing": "Testing Strategy",
    "security": "Security Considerations",
    "performance": "Performance Considerations",
    "monitoring": "Monitoring & Observability",
    "slos": "Service Level Objectives",
    "risks": "Risk Assessment",
    "drawbacks": "Drawbacks",
    "rationale_and_alternatives": "Rationale and alternatives",
    "prior_art": "Prior art",
    "dependencies": "Dependencies & Blockers",
    "blockers": "Dependencies & Blockers",
    "rollback": "Rollback Plan",
    "open_questions": "Open Questions",
    "future_possibilities": "Future possibilities",
    "revisions": "Revision History",
}


@dataclass(frozen=True)
class ExamplePlan:
    src_uri: str
    data: dict[str, Any]
    headings: tuple[str, ...] = ()
    """A plan written in Markdown: its `##` headings, which are its sections."""

    @property
    def url(self) -> str:
        """Its page's URL relative to the site root (directory URLs): `plans/platform/`."""
        page = page_uri_for(self.src_uri)
        if page == "index.md" or page.endswith("/index.md"):
            return page.removesuffix("index.md")
        return page.removesuffix(".md") + "/"

    @property
    def sections(self) -> list[str]:
        """Headings of the sections the plan fills, in page order."""
        if self.src_uri.endswith(".md"):
            return list(self.headings)
        headings = [SECTIONS[key] for key in SECTIONS if self.data.get(key)]
        return list(dict.fromkeys(headings))

    def __str__(self) -> str:
        return self.src_uri


@cache
def example_plans() -> tuple[ExamplePlan, ...]:
    plans = []
    for path in sorted(DOCS.rglob("*")):
        src_uri = path.relative_to(DOCS).as_posix()
        if path.is_file() and is_plan_file(src_uri):
            plans.append(_example_plan(src_uri, path.read_text(encoding="utf-8")))
    return tuple(plans)


def _example_plan(src_uri: str, text: str) -> ExamplePlan:
    if not src_uri.endswith(".md"):
        return ExamplePlan(src_uri, yaml.safe_load(text))
    # A plan written in Markdown: its front matter (keys with `-` as `_`) and its headings.
    front, body = text.removeprefix("---\n").split("\n---\n", 1)
    data = {key.replace("-", "_"): value for key, value in yaml.safe_load(front).items()}
    headings = tuple(line[3:].strip() for line in body.splitlines() if line.startswith("## "))
    return ExamplePlan(src_uri, data, headings)


@cache
def status_colours() -> dict[str, str]:
    """The example site's statuses → hex colour, as its techplan options configure them."""
    from mkdocs.config import load_config

    config = load_config(str(EXAMPLE_SITE / "mkdocs.yml"))
    return dict(config.plugins["techplan"].config.statuses)


def status_of(plan: ExamplePlan) -> tuple[str, str]:
    """The status name as the site spells it, and its colour (statuses match ignoring case)."""
    written = str(plan.data["status"]).strip().casefold()
    for name, colour in status_colours().items():
        if name.casefold() == written:
            return name, colour
    raise AssertionError(f"{plan}: status {plan.data['status']!r} is not configured")


def superseded(plan: ExamplePlan) -> bool:
    """Whether another example plan's `supersedes` names this plan's YAML file."""
    for other in example_plans():
        written = other.data.get("supersedes") or []
        for reference in written if isinstance(written, list) else [written]:
            folder = posixpath.dirname(other.src_uri)
            if posixpath.normpath(posixpath.join(folder, str(reference))) == plan.src_uri:
                return True
    return False


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
