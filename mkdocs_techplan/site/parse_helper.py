"""The helper process that parses plans from the end of a catalog's list while the build
parses from its start (`helper.py`): `python -m mkdocs_techplan.site.parse_helper`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs_techplan.site.helper import serve_one_job


def _parsing() -> Callable[[Any, int], Any]:
    # Imported once the job is read: the build does not wait for these imports.
    from mkdocs_techplan.site.catalog import load_job_plan

    return load_job_plan


if __name__ == "__main__":
    serve_one_job(_parsing)
