"""A new `plan.yaml` to fill in (`mkdocs-techplan new`).

The file validates as written: `title`, `version`, `status` and `date` are set, and every
section of the template follows as commented-out YAML. Lines of guidance start with `##`, so
uncommenting a block (Ctrl+/ in VS Code removes one `#`) leaves the guidance a comment and
turns the example into YAML.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from mkdocs_techplan.format.writing import modeline
from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for


class ScaffoldError(Exception):
    """The plan cannot be written where it was asked for."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage
        """The path given cannot name a plan at all (rather than: that file is taken)."""


@dataclass(frozen=True)
class NewPlan:
    title: str
    status: str
    authors: Sequence[str] = ()
    specifications: Sequence[str] = ()
    date: datetime.date | None = None


def plan_path(path: str) -> str:
    """Where `new PATH` writes: PATH itself if it names a YAML file, else PATH/plan.yaml."""
    if path.endswith((".yaml", ".yml")):
        if not is_plan_file(os.path.basename(path)):
            raise ScaffoldError(
                f"{path}: the plugin reads only files named `plan.yaml` or `<slug>.plan.yaml` "
                "(`.yml` too); choose one of those names",
                usage=True,
            )
        return path
    return os.path.join(path, "plan.yaml")


def default_title(path: str) -> str:
    """A title from the plan's folder or slug: `docs/plans/search-reindex` → `Search reindex`."""
    folder, name = os.path.split(os.path.abspath(path))
    in_folder = name in ("plan.yaml", "plan.yml")
    stem = os.path.basename(folder) if in_folder else name.split(".plan.")[0]
    words = stem.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "New plan"


def write_plan(path: str, text: str) -> None:
    """Write a new file; refuse to replace a file or to take the path of an existing page."""
    if os.path.exists(path):
        raise ScaffoldError(f"{path} already exists; it is left as it is (choose another path)")
    page = os.path.join(os.path.dirname(path), page_uri_for(os.path.basename(path)))
    if os.path.exists(page):
        raise ScaffoldError(
            f"{page} already exists and the plan would become that same page; "
            "put the plan in its own folder or give it another name"
        )
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(text)


def plan_text(plan: NewPlan, schema: str) -> str:
    """The new file's text."""
    date = plan.date or datetime.date.today()
    head = [
        modeline(schema),
        "## A technical plan: mkdocs-techplan renders it as the page",
        '## "Technical Plan: <title>". Every section below is optional: uncomment the ones you',
        "## need (select the lines, then Ctrl+/ or Cmd+/). A section left out or empty is left out",
        "## of the page. Check the plan with `mkdocs-techplan validate`.",
        "",
        _line("title", plan.title),
        _line("version", "1.0"),
        "## One of the site's statuses (default: Draft, In Review, Approved).",
        _line("status", plan.status),
    ]
    if plan.authors:
        authors = plan.authors
        head.append(_line("author", authors[0] if len(authors) == 1 else list(authors)))
    else:
        head += [
            "## Who wrote the plan: a name, or a list such as [Ada Lovelace, Grace Hopper].",
            "# author: Your Name",
        ]
    head.append(_line("date", date))
    if plan.specifications:
        specs = plan.specifications
        head.append(_line("specification", specs[0] if len(specs) == 1 else list(specs)))
    else:
        head += [
            "## The specification this plan implements: a page path relative to this file, a path",
            "## from the docs root (/specs/auth.md), an https:// URL, or a spec id such as",
            "## SPEC-042 (the page whose front matter says `spec_id: SPEC-042`); or a list.",
            "# specification: ../../specs/feature.md",
        ]
    return "\n".join(head) + "\n" + _SECTIONS.replace("<DATE>", date.isoformat())


def _line(key: str, value: object) -> str:
    """`key: value`, quoted where YAML needs it; a list in flow style (`[a, b]`)."""
    dumped = (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        .removesuffix("\n...\n")
        .rstrip("\n")
    )
    return f"{key}: {dumped}"


_SECTIONS = """\
## One paragraph of Markdown: shown in the plans index and as the page description.
# summary: What this plan changes, and why.
## Tags for the page (Material's tags plugin lists pages by tag).
# tags: [backend]
## The plan file (or files) this plan replaces, e.g. ../old-plan/plan.yaml.
# supersedes: ../previous/plan.yaml
## Free-form data for your own templates; the default template does not show it.
# extra:
#   team: platform

## ── Architecture Overview ──────────────────────────────────────────────────────────────
## overview is Markdown; diagram is shown verbatim in a code block; mermaid becomes a
## ```mermaid fence (use either or both).
# architecture:
#   overview: |
#     The high-level architecture, in Markdown.
#   diagram: |
#     ┌──────────────┐     ┌──────────────┐
#     │    Client    │────▶│   Service    │
#     └──────────────┘     └──────────────┘
#   mermaid: |
#     flowchart LR
#       Client --> Service

## ── Component Design ───────────────────────────────────────────────────────────────────
## One entry per component; only `name` is required. `interfaces` is code, shown in a
## block in `interfaces_language` (default typescript).
# components:
#   - name: Service
#     purpose: What the component is for.
#     responsibilities:
#       - First responsibility
#       - Second responsibility
#     interfaces: |
#       interface Service {
#         handle(request: Request): Promise<Response>;
#       }
#     interfaces_language: typescript
#     dependencies:
#       - name: Database
#         reason: stores the service's state

## ── Data Model ─────────────────────────────────────────────────────────────────────────
# data_model:
#   schema_changes: |
#     CREATE TABLE items (
#         id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
#         created_at TIMESTAMP DEFAULT NOW()
#     );
#   migrations:
#     - file: 001_create_items.sql
#       description: Create initial table

## ── API Design ─────────────────────────────────────────────────────────────────────────
## `schemas` is a reference (like `specification`) to the page with the detailed schemas.
# api:
#   endpoints:
#     - {method: GET, path: /api/v1/items, purpose: List all}
#     - {method: POST, path: /api/v1/items, purpose: Create new}
#   schemas: ../../specs/api.md

## ── Implementation Approach ────────────────────────────────────────────────────────────
# phases:
#   - name: Foundation
#     duration: 1 week
#     tasks:
#       - First task
#       - Second task

## ── Testing Strategy ───────────────────────────────────────────────────────────────────
## coverage_target is a percentage (80 shows as ">80%").
# testing:
#   unit:
#     coverage_target: 80
#     focus: [core logic, error handling]
#   integration: [API endpoint testing, Database integration]
#   e2e: [Critical user flows]
#   performance:
#     load: 500 requests per second for 10 minutes
#     stress: ramp up until the error rate passes 1%

## ── Security Considerations ────────────────────────────────────────────────────────────
## authentication and authorization are Markdown; the other two are checklists: an entry
## is text (not done) or {item: …, done: true}.
# security:
#   authentication: How callers prove who they are.
#   authorization: What each caller may do, and where that is checked.
#   data_protection:
#     - Sensitive data encrypted
#     - {item: PII handling compliant, done: true}
#   input_validation:
#     - All inputs validated

## ── Performance Considerations ─────────────────────────────────────────────────────────
# performance:
#   caching: What is cached, where, and for how long (Markdown).
#   database:
#     indexes: items(created_at)
#     query_optimization: look-ups by primary key only
#   scalability: How the design grows with load (Markdown).

## ── Monitoring & Observability ─────────────────────────────────────────────────────────
# monitoring:
#   metrics:
#     - {name: request_latency_p99, description: 99th percentile request latency}
#   logging: {level: INFO, structured: true}
#   alerts:
#     - {condition: error rate above 5% for 5 minutes, action: page the on-call engineer}

## ── Risk Assessment ────────────────────────────────────────────────────────────────────
## impact and probability are High, Medium or Low.
# risks:
#   - {risk: What could go wrong, impact: High, probability: Low, mitigation: How we prevent it}

## ── Dependencies & Blockers ────────────────────────────────────────────────────────────
# dependencies:
#   - {name: Another team's API, status: in progress, done: false}
# blockers:
#   - {blocker: What stops the work, resolution: How and when it is resolved}

## ── Rollback Plan ──────────────────────────────────────────────────────────────────────
# rollback:
#   - First step to undo the change
#   - Second step

## ── Open Questions ─────────────────────────────────────────────────────────────────────
## A checklist: text (open) or {item: …, done: true} (resolved).
# open_questions:
#   - A question still to answer

## ── Revision History ───────────────────────────────────────────────────────────────────
# revisions:
#   - {version: "1.0", date: <DATE>, author: Your Name, changes: Initial plan}
"""
