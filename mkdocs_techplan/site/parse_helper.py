"""The helper process that parses plans from the end of a catalog's list while the build
parses from its start (`helper.py`): `python -m mkdocs_techplan.site.parse_helper`."""

from __future__ import annotations

from typing import Any

from mkdocs_techplan.site.helper import Worker, serve_one_job


def _parsing() -> Worker:
    # Imported once the job is read: the build does not wait for these imports.
    from mkdocs_techplan.site.catalog import load_plan

    def count(job: tuple[list[Any], Any]) -> int:
        return len(job[0])

    def parsed(job: tuple[list[Any], Any], index: int) -> Any:
        plan_files, (statuses, limits, definition, names) = job
        return load_plan(plan_files[index], statuses, limits, definition, names)

    return count, parsed


if __name__ == "__main__":
    serve_one_job(_parsing)
