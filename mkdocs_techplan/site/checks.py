"""The checks that need every plan of the site at once, in the order the build runs them.

The plugin (`on_files`) and `mkdocs-techplan validate -f` both call `check_site_plans`, so the
command reports exactly what a build would.
"""

from __future__ import annotations

from collections.abc import Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.site.placement import PlanSite, place_plans
from mkdocs_techplan.site.relations import link_relations
from mkdocs_techplan.site.status_rules import (
    StatusRules,
    apply_relation_rules,
    apply_status_rules,
)
from mkdocs_techplan.site.supersedes import link_supersedes


def check_site_plans(
    plans: Sequence[Plan],
    files: Files,
    config: MkDocsConfig,
    *,
    spec_id_key: str,
    status_rules: StatusRules,
    statuses: Sequence[str] = (),
    dest_prefix: str = "",
) -> PlanSite:
    """Place each plan at its page (collisions), resolve references, apply status rules and
    link supersedes chains (cycles). `dest_prefix`: the folder the pages go in (`fr/`)."""
    site = place_plans(plans, files, config, spec_id_key, dest_prefix)
    apply_status_rules(site, status_rules)
    link_supersedes(site)
    link_relations(site)
    apply_relation_rules(site, status_rules, statuses)
    return site
