"""A command that runs once parses its plans on every processor: the plans, their problems
and their order are those of one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.site import catalog as catalog_module
from mkdocs_techplan.site.catalog import PlanCatalog, PlanFile

STATUSES = ("Draft", "In Review", "Approved")


def _plan_files(docs: Path) -> list[PlanFile]:
    texts = {
        "a": "title: A\nstatus: Draft\nsummary: First.\n",
        "b": "title: B\nstatus: Nonsense\n",  # a problem, kept on the plan
        "c": "title: [unclosed\n",  # does not load at all
        "d": "title: D\nstatus: Approved\nrisks: [{risk: Outage, impact: High}]\n",
        "e": "title: E\nstatus: In Review\ndepends_on: ../a/plan.yaml\n",
    }
    found = []
    for name, text in sorted(texts.items(), reverse=True):  # the catalog puts them in order
        path = docs / "plans" / name / "plan.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        found.append(PlanFile(f"plans/{name}/plan.yaml", str(path), str(docs)))
    return found


def test_plans_parsed_in_several_processes_are_those_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "PARALLEL_FROM", 2)
    plan_files = _plan_files(tmp_path)
    alone = PlanCatalog().load(plan_files, STATUSES, Limits())
    shared = PlanCatalog(workers=3)
    together = shared.load(plan_files, STATUSES, Limits())
    assert [plan.source.src_uri for plan in together] == [
        f"plans/{name}/plan.yaml" for name in "abcde"
    ]
    assert together == alone
    assert (
        [str(problem) for plan in together for problem in plan.problems]
        == [str(problem) for plan in alone for problem in plan.problems]
        != []
    )
    # Parsed once: the next load gives back the same objects, in this process.
    again = shared.load(plan_files, STATUSES, Limits())
    assert all(first is second for first, second in zip(together, again, strict=True))
