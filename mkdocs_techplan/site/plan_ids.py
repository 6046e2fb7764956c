"""Plan ids as a site numbers them (`ids: {prefix: TP-, digits: 4}` → `TP-0042`): the check
that each plan's id has that form, and the next free one for `mkdocs-techplan new`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.site.placement import PlanSite


@dataclass(frozen=True)
class IdFormat:
    """How a site's plan ids look: `prefix` then `digits` digits (`TP-0042`)."""

    prefix: str
    digits: int

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.prefix) + r"(\d{" + str(self.digits) + r",})")

    def example(self, number: int = 42) -> str:
        return f"{self.prefix}{number:0{self.digits}d}"


def check_id_format(site: PlanSite, id_format: IdFormat | None) -> None:
    """Report each plan whose id does not have the site's form."""
    if id_format is None:
        return
    for item in site.placed:
        plan_id = item.plan.id
        if plan_id is not None and not id_format.pattern.fullmatch(plan_id.strip()):
            site.report(
                item,
                item.plan.source.problem(
                    item.plan.id_position,
                    f"`id` is `{plan_id}`, which is not an id of this site: ids look like "
                    f"`{id_format.example()}` (the option `ids`: prefix `{id_format.prefix}`, "
                    f"{id_format.digits} digits)",
                ),
            )


def next_free_id(plans: Iterable[Plan], id_format: IdFormat) -> str:
    """The id after the highest one of the site's form (`TP-0001` for the first plan)."""
    numbers = [
        int(match[1])
        for plan in plans
        if plan.id and (match := id_format.pattern.fullmatch(plan.id.strip()))
    ]
    return id_format.example(max(numbers, default=0) + 1)
