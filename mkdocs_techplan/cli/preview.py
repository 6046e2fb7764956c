"""The Markdown page one plan becomes, outside a build (`mkdocs-techplan render`)."""

from __future__ import annotations

import os

from mkdocs_techplan.cli.checking import Settings, Site, check_site
from mkdocs_techplan.format.model import Plan, Reference
from mkdocs_techplan.format.problems import Problem
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES, Statuses, status_styles
from mkdocs_techplan.render.renderer import PlanPage, PlanRenderer
from mkdocs_techplan.site.catalog import PlanFile, display_path, load_plan
from mkdocs_techplan.site.pages import PageDirectory
from mkdocs_techplan.site.placement import PlanLinks, PlanSite, titled_links
from mkdocs_techplan.site.references import Link, resolve

_NO_PAGES = PageDirectory({}, "spec_id")


class PreviewError(Exception):
    """The plan is not one the site has a page for."""


def render_file(
    path: str, site: Site | None, template: str | None = None
) -> tuple[str, list[Problem]]:
    """The page the plan file at `path` becomes, and its problems.

    Without a site: the plan on its own, default statuses. With a site: its options
    (statuses, template, `allow_html`, Markdown extensions) and its pages for the links.
    """
    options = site.options if site else None
    settings = Settings.of(site)
    renderer = PlanRenderer(
        template_file=template or (options.template if options else None),
        allow_html=bool(options and options.allow_html),
        markdown_extensions=site.config.markdown_extensions if site else (),
        definition=settings.definition,
    )
    statuses = status_styles(options.statuses if options else DEFAULT_STATUSES)
    if site is None:
        plan_file = PlanFile(display_path(os.path.abspath(path)), path)
        plan = load_plan(plan_file, settings.statuses, settings.limits)
        return render_alone(plan, renderer, statuses), plan.problems
    placed = check_site(site).site
    found = render_in_site(path, placed, renderer, statuses) if placed else None
    if found is None:
        config_file = display_path(os.path.abspath(site.config.config_file_path or "mkdocs.yml"))
        raise PreviewError(
            f"{path} is not a plan of the site {config_file} (outside its docs_dir, excluded, "
            "or its page path is taken)"
        )
    return found


def render_alone(plan: Plan, renderer: PlanRenderer, statuses: Statuses) -> str:
    """The page of a plan read on its own: http(s) references are links, page paths and spec
    ids are shown as written (without the site there is no page to link to or title to show).
    """
    return renderer.render(
        PlanPage(
            plan=plan,
            status=statuses.of(plan.status),
            links=standalone_links(plan),
            problems=plan.problems,
        )
    )


def standalone_links(plan: Plan) -> PlanLinks:
    """Links for a plan without its site: URLs only; everything else as the author wrote it."""

    def one(reference: Reference) -> Link:
        resolution = resolve(reference, plan.source.src_uri, plan.source.page_uri, _NO_PAGES)
        if resolution.link.external:
            return resolution.link
        return Link(text=reference.text, href=None)

    return PlanLinks(
        specification=[one(reference) for reference in plan.specification],
        schemas=one(plan.api.schemas) if plan.api and plan.api.schemas else None,
        supersedes=[one(reference) for reference in plan.supersedes],
        fields={
            name: one(value) for name, value in plan.fields.items() if isinstance(value, Reference)
        },
        links=titled_links(plan, one),
    )


def render_in_site(
    abs_path: str, site: PlanSite, renderer: PlanRenderer, statuses: Statuses
) -> tuple[str, list[Problem]] | None:
    """The page of the site's plan at `abs_path`, links resolved as in a build; None when the
    site has no page for it (not a plan of the site, or its page path is taken)."""
    for item in site.placed:
        if os.path.abspath(item.plan.source.display_path) == os.path.abspath(abs_path):
            page = PlanPage(
                plan=item.plan,
                status=statuses.of(item.plan.status),
                links=item.links,
                problems=item.problems,
                blocks=item.blocks,
            )
            return renderer.render(page), item.problems
    return None
