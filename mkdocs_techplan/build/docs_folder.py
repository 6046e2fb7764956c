"""A site's plan pages and outputs as files of its docs folder, for engines that build only
the files they find there (Zensical).

`mkdocs-techplan pages` writes these files; the Zensical extension reads the same build for
backlinks and listings. Both run the one core on the docs folder's files, with what the
command wrote before left out (it is made again here).
"""

from __future__ import annotations

from mkdocs.structure.files import get_files

from mkdocs_techplan.build.core import BuildResult, SiteBuild
from mkdocs_techplan.build.site_config import Site
from mkdocs_techplan.render.safety import PlanHtml
from mkdocs_techplan.render.site_pages import PlanPages
from mkdocs_techplan.site.catalog import PlanCatalog
from mkdocs_techplan.site.generated_pages import mark_generated


def build_docs_folder(
    site: Site,
    *,
    plan_html: PlanHtml | None = None,
    catalog: PlanCatalog | None = None,
    plan_pages: PlanPages = "all",
) -> BuildResult:
    """The build of the site's docs folder as MkDocs would list it (`catalog`: how its plans
    are parsed; a command that runs once gives one that uses every processor; `plan_pages`:
    which plan pages are rendered)."""
    files = get_files(site.config)
    return SiteBuild(site.options, site.config, plan_html=plan_html).run(
        files, catalog, plan_pages=plan_pages
    )


def docs_files(result: BuildResult) -> dict[str, bytes]:
    """Path under `docs_dir` → content: every plan page, the index, `plans.json`, `feed.xml`,
    each `status.svg` and the assets, as a MkDocs build publishes them."""
    in_place = result.pages_in_place  # a Markdown plan is its own page: never written over
    found = {
        src_uri: mark_generated(markdown).encode("utf-8")
        for src_uri, markdown in result.plan_pages()
        if src_uri not in in_place
    }
    for file in result.outputs:
        content = file.content_bytes
        if file.src_uri.endswith(".md"):  # the index
            content = mark_generated(content.decode("utf-8")).encode("utf-8")
        found[file.src_uri] = content
    return found
