"""What a plan must have to carry a status (`status_rules` in `mkdocs.yml`), checked per build.

A rule is either the name of a top-level key of the plan format (`author`, `date`,
`specification`, `revisions`, `rollback`, …), which must then be present and not empty, or one
of the conditions in `CONDITIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mkdocs_techplan.format.definition import Definition, default_definition
from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.format.problems import Position
from mkdocs_techplan.format.suggestions import did_you_mean

if TYPE_CHECKING:
    from mkdocs_techplan.site.placement import PlanSite

StatusRules = dict[str, tuple[str, ...]]
"""Status name (as configured) → the rules a plan in that status must meet."""

DEFAULT_STATUS_RULES: dict[str, tuple[str, ...]] = {
    "In Review": ("author", "specification"),
    "Approved": ("author", "date", "specification", "revisions", "open_questions_resolved"),
}
"""Rules for the default statuses; a status a site does not configure has none."""

_ALWAYS_PRESENT = ("title", "status")  # required by the schema itself
_ATTRIBUTES = {"author": "authors"}  # plan keys whose `Plan` attribute is named otherwise
_SINGLE_VALUED_LISTS = ("author", "specification", "supersedes")


@dataclass(frozen=True)
class _Condition:
    """A rule that every entry of a section meets: `met` tells, `message` says which is not."""

    entries: Callable[[Plan], Sequence[Any]]
    met: Callable[[Any], bool]
    name: Callable[[Any], str]
    message: str
    """Formatted with the entry's shortened `name`."""

    def __call__(self, plan: Plan) -> Iterator[tuple[Position, str]]:
        for entry in self.entries(plan):
            if not self.met(entry):
                yield entry.position, self.message.format(name=_short(self.name(entry)))


CONDITIONS: dict[str, _Condition] = {
    "open_questions_resolved": _Condition(
        lambda plan: plan.open_questions,
        lambda question: question.done,
        lambda question: question.text,
        "requires every open question to be resolved, but `{name}` is still open; resolve it "
        "(`done: true`)",
    ),
    "dependencies_done": _Condition(
        lambda plan: plan.dependencies,
        lambda dependency: dependency.done,
        lambda dependency: dependency.name,
        "requires every dependency to be done, but `{name}` is not; mark it `done: true`",
    ),
    "blockers_resolved": _Condition(
        lambda plan: plan.blockers,
        lambda blocker: bool(blocker.resolution),
        lambda blocker: blocker.blocker,
        "requires every blocker to have a `resolution`, but `{name}` has none; add one",
    ),
}
"""Rules that look inside a section; each finding is reported where it is written."""


RELATION_RULES = {
    "depends_on_not_behind": (
        "requires every plan it depends on to have come as far (in the order of the site's "
        "statuses), but `{name}` is {status}; move that plan on, or change this status"
    ),
}
"""Rules on the plans a plan relates to: a plan `Approved` must not depend on a `Draft`."""


def field_rules(definition: Definition | None = None) -> list[str]:
    """Rules that require a top-level key: every key of the format (the site's own included)
    but `title` and `status`."""
    keys = (definition or default_definition()).keys
    return [key.name for key in keys if key.name not in _ALWAYS_PRESENT]


def rule_names(definition: Definition | None = None) -> list[str]:
    return [*field_rules(definition), *CONDITIONS, *RELATION_RULES]


def configure(
    value: Any, statuses: Sequence[str], definition: Definition | None = None
) -> StatusRules:
    """The rules in force, from the `status_rules` option as written.

    `None` (option not set) or `true`: the defaults. `false`: no rules. A mapping
    `{status: [rule, ...]}` replaces the defaults of the statuses it names (an empty list or
    `false` turns a status's rules off); statuses it does not name keep their defaults.
    Raises `ValueError` with a message for the site's author.
    """
    configured = {name.casefold(): name for name in statuses}
    rules: StatusRules = {
        configured[name.casefold()]: names
        for name, names in DEFAULT_STATUS_RULES.items()
        if name.casefold() in configured
    }
    if value is None or value is True:
        return rules
    if value is False:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(
            "`status_rules` is a mapping of status to rules, such as "
            "`{Approved: [author, date, specification]}`, or `false` to turn every rule off"
        )
    known = rule_names(definition)
    for name, names in value.items():
        status = configured.get(str(name).strip().casefold())
        if status is None:
            raise ValueError(
                f"`status_rules` names the status {str(name)!r}, which is not one of the "
                f"statuses ({', '.join(statuses)}){did_you_mean(str(name), list(statuses))}"
            )
        if names is None or names is False:
            names = []
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(rule, str) for rule in names):
            raise ValueError(
                f"`status_rules.{status}` is a list of rules such as `[author, date]`, "
                f"not {names!r}"
            )
        for rule in names:
            if rule not in known:
                raise ValueError(
                    f"`status_rules.{status}` lists {rule!r}, which is not a rule"
                    f"{did_you_mean(rule, known)}; rules are {', '.join(known)}"
                )
        rules[status] = tuple(dict.fromkeys(names))
    return {status: names for status, names in rules.items() if names}


def check_plan(plan: Plan, rules: StatusRules) -> list[tuple[Position, str]]:
    """Where and how `plan` falls short of the rules of its status."""
    if plan.status is None:
        return []  # an invalid status is already reported; no rules to apply
    findings: list[tuple[Position, str]] = []
    prefix = f"status `{plan.status}` "
    for rule in rules.get(plan.status, ()):
        if rule in RELATION_RULES:
            continue  # checked once every plan is placed: `apply_relation_rules`
        condition = CONDITIONS.get(rule)
        if condition is not None:
            findings += [
                (position, f"{prefix}{message}, or change the status")
                for position, message in condition(plan)
            ]
            continue
        value = (
            plan.fields.get(rule)
            if rule in plan.fields
            else getattr(plan, _ATTRIBUTES.get(rule, rule))
        )
        if value:
            continue
        if isinstance(value, list) and rule not in _SINGLE_VALUED_LISTS:
            wanted = f"at least one entry in `{rule}`; add one"
        else:
            wanted = f"`{rule}`; add it"
        findings.append((plan.status_position, f"{prefix}requires {wanted}, or change the status"))
    return findings


def apply_status_rules(site: PlanSite, rules: StatusRules) -> None:
    """Check every placed plan; findings become problems on its page and in the log."""
    if not rules:
        return
    for item in site.placed:
        for position, message in check_plan(item.plan, rules):
            site.report(item, item.plan.source.problem(position, message))


def apply_relation_rules(site: PlanSite, rules: StatusRules, statuses: Sequence[str]) -> None:
    """`depends_on_not_behind`: each plan a plan depends on is at least as far along the
    site's statuses (a superseded target counts as behind), reported at the reference."""
    wanted = {status for status, names in rules.items() if "depends_on_not_behind" in names}
    if not wanted:
        return
    order = {name: index for index, name in enumerate(statuses)}
    by_page = {item.plan.source.page_uri: item for item in site.placed}
    for item in site.placed:
        own = item.plan.status
        if own not in wanted or own not in order:
            continue
        for reference, link in zip(item.plan.depends_on, item.links.depends_on, strict=False):
            target = by_page.get(link.target or "")
            if target is None:
                continue  # not a plan: reported where it is resolved
            theirs = target.plan.status
            if target.superseded_by:
                status = "superseded"
            elif theirs in order and order[theirs] < order[own]:
                status = f"`{theirs}`"
            else:
                continue
            message = RELATION_RULES["depends_on_not_behind"].format(
                name=_short(target.plan.title), status=status
            )
            site.report(
                item,
                item.plan.source.problem(reference.position, f"status `{own}` {message}"),
            )


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"
