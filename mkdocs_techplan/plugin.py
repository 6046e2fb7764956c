"""The `techplan` MkDocs plugin: wires MkDocs events to the modules that do the work."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Literal

from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from mkdocs_techplan.badges import status_css, status_styles
from mkdocs_techplan.catalog import PlanCatalog, PlanFile
from mkdocs_techplan.config import TechPlanConfig
from mkdocs_techplan.discovery import is_plan_file
from mkdocs_techplan.loading import Limits
from mkdocs_techplan.rendering import PlanRenderer
from mkdocs_techplan.site import PlanSite, place_plans, render_pages

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = get_plugin_logger(__name__)

STYLESHEET = "assets/techplan.css"


class TechPlanPlugin(BasePlugin[TechPlanConfig]):
    """Renders `plan.yaml` files as Technical Plan pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog = PlanCatalog()
        self.site: PlanSite | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it
        # the catalog's parsed plans; everything else is per build and reset in on_config.
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.site = None
        self.statuses = status_styles(self.config.statuses)
        self.renderer = PlanRenderer(
            template_file=self.config.template, allow_html=self.config.allow_html
        )
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    # Default priority: pages that other plugins generate in on_files are then known here
    # only if they run first; plans never depend on them, spec pages written by hand do not.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        plan_files = []
        for file in list(files):
            if is_plan_file(file.src_uri) and file.abs_src_path and file.generated_by is None:
                files.remove(file)  # the YAML source is never copied into the site
                if file.inclusion.is_included():
                    plan_files.append(PlanFile(file.src_uri, file.abs_src_path))
        limits = Limits(max_bytes=self.config.max_file_size)
        plans = self.catalog.load(plan_files, list(self.config.statuses), limits)
        self.site = place_plans(plans, files, config, self.config.spec_id_key)
        render_pages(self.site, self.renderer, self.statuses)
        for problem in self.site.problems:
            log.warning(str(problem))
        self._add_stylesheet(files, config)
        return files

    def _add_stylesheet(self, files: Files, config: MkDocsConfig) -> None:
        if files.get_file_from_path(STYLESHEET) is not None:
            return  # the site ships its own stylesheet under this name: it wins
        base = resources.files("mkdocs_techplan").joinpath("assets/techplan.css").read_text()
        files.append(
            File.generated(config, STYLESHEET, content=base + status_css(self.statuses))
        )
