"""Which files are plans, and which page each one becomes (PLAN_FORMAT.md, "Files")."""

from __future__ import annotations

import posixpath

_FOLDER_PLAN_NAMES = ("plan.yaml", "plan.yml")
_NAMED_PLAN_SUFFIXES = (".plan.yaml", ".plan.yml")


def is_plan_file(src_uri: str) -> bool:
    """`plan.yaml` / `plan.yml`, or `<slug>.plan.yaml` / `<slug>.plan.yml`."""
    name = posixpath.basename(src_uri)
    return name in _FOLDER_PLAN_NAMES or (
        name.endswith(_NAMED_PLAN_SUFFIXES) and name not in (".plan.yaml", ".plan.yml")
    )


def page_uri_for(src_uri: str) -> str:
    """The page a plan becomes: `plans/auth/plan.yaml` → `plans/auth/index.md`,
    `plans/billing.plan.yml` → `plans/billing.md`."""
    folder, name = posixpath.split(src_uri)
    if name in _FOLDER_PLAN_NAMES:
        return posixpath.join(folder, "index.md")
    slug = name.rsplit(".plan.", 1)[0]
    return posixpath.join(folder, f"{slug}.md")
