"""The Markdown page one plan becomes, outside a build (`mkdocs-techplan render`)."""

from __future__ import annotations

import os

from mkdocs_techplan.build.checking import Settings
from mkdocs_techplan.build.docs_folder import build_docs_folder
from mkdocs_techplan.build.site_config import Site
from mkdocs_techplan.format.model import Plan, Reference
from mkdocs_techplan.format.problems import Problem
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES, Statuses, status_styles
from mkdocs_techplan.markdown.carried_source import with_source
from mkdocs_techplan.render.renderer import PlanPage, PlanRenderer
from mkdocs_techplan.site.catalog import PlanFile, display_path, load_plan
from mkdocs_techplan.site.discovery import is_markdown
from mkdocs_techplan.site.page_files import PlanPageFile
from mkdocs_techplan.site.pages import PageDirectory
from mkdocs_techplan.site.placement import PlanLinks, titled_links
from mkdocs_techplan.site.references import Link, resolve

_NO_PAGES = PageDirectory({}, "spec_id")


class PreviewError(Exception):
    """The plan is not one the site has a page for."""


def render_file(
    path: str, site: Site | None, template: str | None = None
) -> tuple[str, list[Problem]]:
    """The page the plan file at `path` becomes, and its problems.

    With a site: exactly the page its build makes (the build core runs), with `template` in
    place of the site's if given. Without one: the plan on its own, default statuses. A YAML
    plan's page ends with its file, carried for `import` (`markdown.carried_source`)."""
    if site is not None:
        if template:  # the site's page, with another template
            site.options["template"] = template
        page, problems = _render_in_site(path, site)
    else:
        settings = Settings()
        renderer = PlanRenderer(template_file=template, definition=settings.definition)
        plan_file = PlanFile(display_path(os.path.abspath(path)), path)
        plan = load_plan(plan_file, settings.statuses, settings.limits)
        page, problems = (
            render_alone(plan, renderer, status_styles(DEFAULT_STATUSES)),
            plan.problems,
        )
    if is_markdown(path):  # the page is the author's own Markdown already
        return page, problems
    # The plan file at the end of the page, for `import` to give back as it was.
    with open(path, encoding="utf-8-sig", errors="replace") as stream:
        return with_source(page, stream.read()), problems


def _render_in_site(path: str, site: Site) -> tuple[str, list[Problem]]:
    result = build_docs_folder(site)
    wanted = os.path.realpath(path)
    for item in result.site.placed:
        if os.path.realpath(item.plan.source.real_path or "") == wanted:
            assert isinstance(item.file, PlanPageFile) and item.file.render is not None
            return item.file.render(), item.problems
    config_file = display_path(os.path.abspath(site.config_file))
    raise PreviewError(
        f"{path} is not a plan of the site {config_file} (outside its docs_dir, excluded, "
        "or its page path is taken)"
    )


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
        depends_on=[one(reference) for reference in plan.depends_on],
        extends=[one(reference) for reference in plan.extends],
        related=[one(reference) for reference in plan.related],
        fields={
            name: one(value) for name, value in plan.fields.items() if isinstance(value, Reference)
        },
        links=titled_links(plan, one),
    )
