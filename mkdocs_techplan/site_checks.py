"""The checks that need every plan of the site at once, in the order the build runs them.

The plugin (`on_files`) and `mkdocs-techplan validate -f` both call `check_site_plans`, so the
command reports exactly what a build would.
"""

from __future__ import annotations

from collections.abc import Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from mkdocs_techplan.badges import StatusStyle
from mkdocs_techplan.config import TechPlanConfig
from mkdocs_techplan.model import Plan
from mkdocs_techplan.site import PlanSite, place_plans
from mkdocs_techplan.status_rules import apply_status_rules
from mkdocs_techplan.supersedes import link_supersedes


def check_site_plans(
    plans: Sequence[Plan],
    files: Files,
    config: MkDocsConfig,
    options: TechPlanConfig,
    statuses: list[StatusStyle],
) -> PlanSite:
    """Place each plan at its page (collisions), resolve references, apply status rules and
    link supersedes chains (cycles)."""
    site = place_plans(plans, files, config, options.spec_id_key)
    apply_status_rules(site, options.status_rules)
    link_supersedes(site, statuses)
    return site
