"""The plugin's options in `mkdocs.yml`, each documented where it is declared."""

from __future__ import annotations

import functools
import re
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from mkdocs_techplan.format.aliases import KeyNames, fold
from mkdocs_techplan.format.definition import Definition
from mkdocs_techplan.format.presets import PRESETS
from mkdocs_techplan.format.site_format import (
    DEFAULT_RISK_LEVELS,
    SiteFormatError,
    site_definition,
    site_keys,
)
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES, status_slug
from mkdocs_techplan.format.suggestions import did_you_mean
from mkdocs_techplan.render.site_pages import PageOptions
from mkdocs_techplan.site import status_rules
from mkdocs_techplan.site.discovery import MarkdownGlob, PlanFileRules
from mkdocs_techplan.site.plan_ids import IdFormat

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


class StatusColours(c.Type[dict[str, str]]):
    """Ordered status names with their badge colours: `{Draft: "#6b7280", ...}`."""

    def __init__(self) -> None:
        super().__init__(dict, default=dict(DEFAULT_STATUSES))

    def run_validation(self, value: object) -> dict[str, str]:
        if isinstance(value, list):  # a plain list of names takes default or grey colours
            value = {str(name): DEFAULT_STATUSES.get(str(name), "#4b5563") for name in value}
        statuses = super().run_validation(value)
        if not statuses:
            raise base.ValidationError("`statuses` needs at least one status")
        seen: dict[str, str] = {}
        for name, colour in statuses.items():
            if not isinstance(name, str) or not name.strip():
                raise base.ValidationError(f"status names must be text, not {name!r}")
            # Plans match statuses case-insensitively and badges are classed by slug: two
            # names that differ only so would be one status shown two ways.
            slug = status_slug(name)
            if slug in seen:
                raise base.ValidationError(
                    f"the statuses {seen[slug]!r} and {name!r} are the same status to plans "
                    "(letter case and punctuation aside); keep one"
                )
            seen[slug] = name
            if not isinstance(colour, str) or not _COLOUR.match(colour):
                raise base.ValidationError(
                    f'the colour of status {name!r} must be a hex colour such as "#15803d", '
                    f"not {colour!r}"
                )
        return dict(statuses)

    def post_validation(self, config: base.Config, key_name: str) -> None:
        """A preset's statuses (kep.yaml's `implementable` …) are the site's too, after its
        own; a status the site already has (any case) keeps the site's spelling and colour."""
        preset = PRESETS.get(config["preset"] or "")
        if preset is None:
            return
        statuses = dict(config[key_name])
        slugs = {status_slug(name) for name in statuses}
        for name, colour in preset.statuses.items():
            if status_slug(name) not in slugs:
                statuses[name] = colour
        config[key_name] = statuses


class MarkdownPlansOption(c.Type[list[Any]]):
    """`[text/*.md, {glob: proposals/*.md, status: Accepted}]`: Markdown files that are plans."""

    def __init__(self) -> None:
        super().__init__(list, default=[])

    def run_validation(self, value: object) -> list[Any]:
        globs = []
        for entry in super().run_validation([] if value is None else value):
            glob, status = (entry, None) if isinstance(entry, str) else _glob_entry(entry)
            if not glob.strip() or ".." in glob.split("/") or "\\" in glob:
                raise base.ValidationError(
                    f"`markdown_plans` has {glob!r}; give patterns inside docs_dir such as "
                    "`text/*.md`"
                )
            if not glob.endswith(".md"):
                raise base.ValidationError(
                    f"`markdown_plans` has {glob!r}, which names no Markdown file; end it "
                    "with `.md` (`proposals/*.md`)"
                )
            globs.append(MarkdownGlob(glob.strip().lstrip("/"), status))
        return globs

    def post_validation(self, config: base.Config, key_name: str) -> None:
        configured = {name.casefold(): name for name in config["statuses"]}
        spelled = []
        for glob in config[key_name]:
            if glob.status is not None and glob.status.strip().casefold() not in configured:
                raise base.ValidationError(
                    f"`markdown_plans` gives `{glob.pattern}` the status {glob.status!r}, which "
                    f"is not one of the statuses ({', '.join(configured.values())})"
                    + did_you_mean(glob.status, list(configured.values()))
                )
            status = configured[glob.status.strip().casefold()] if glob.status else None
            spelled.append(MarkdownGlob(glob.pattern, status))
        config[key_name] = spelled


def _glob_entry(entry: object) -> tuple[str, str | None]:
    if not isinstance(entry, dict) or not isinstance(entry.get("glob"), str):
        raise base.ValidationError(
            "each entry of `markdown_plans` is a pattern (`text/*.md`) or a mapping "
            f"`{{glob: text/*.md, status: Accepted}}`, not {entry!r}"
        )
    unknown = sorted(set(entry) - {"glob", "status"})
    if unknown:
        raise base.ValidationError(
            f"an entry of `markdown_plans` has `{unknown[0]}`; its keys are `glob` and `status`"
        )
    status = entry.get("status")
    if status is not None and not isinstance(status, str):
        raise base.ValidationError(f"`markdown_plans` status is a status name, not {status!r}")
    return entry["glob"], status


class AliasesOption(c.Type[dict[str, Any]]):
    """`{stage: status, Start Date: date}`: a document's own keys and labels → plan keys."""

    def __init__(self) -> None:
        super().__init__(dict, default={})

    def run_validation(self, value: object) -> dict[str, Any]:
        aliases = super().run_validation({} if value is None else value)
        for written, target in aliases.items():
            if not isinstance(written, str) or not isinstance(target, str):
                raise base.ValidationError(
                    f"`aliases` maps names to plan keys (`Start Date: date`), not "
                    f"{written!r}: {target!r}"
                )
        return dict(aliases)

    def post_validation(self, config: base.Config, key_name: str) -> None:
        try:
            definition = definition_of(config)
        except SiteFormatError:
            return  # reported by `sections`
        names = [key.name for key in definition.keys]
        for written, target in config[key_name].items():
            if target not in names:
                raise base.ValidationError(
                    f"`aliases` maps `{written}` to `{target}`, which is not a key of a plan"
                    + did_you_mean(target, names)
                )


def key_names_of(config: base.Config) -> KeyNames:
    """The names the site's documents may give plan keys: its preset's aliases and its own."""
    preset = PRESETS.get(config["preset"] or "")
    aliases = {**(preset.aliases if preset else {}), **config["aliases"]}
    return _key_names(
        definition_of(config), tuple(sorted((fold(k), v) for k, v in aliases.items()))
    )


@functools.lru_cache(maxsize=16)
def _key_names(definition: Definition, aliases: tuple[tuple[str, str], ...]) -> KeyNames:
    # One object per site format and aliases: it keys the plan cache across serve rebuilds.
    return KeyNames(definition, dict(aliases))


def plan_file_rules(config: base.Config) -> PlanFileRules:
    """Which files of the site are plans: `markdown_plans`, and the preset's README rule."""
    preset = PRESETS.get(config["preset"] or "")
    return PlanFileRules(tuple(config["markdown_plans"]), preset.companion if preset else None)


INDEX_COLUMNS = (
    "title",
    "status",
    "date",
    "specification",
    "summary",
    "open_questions",
    "high_risks",
    "checklist",
    "version",
    "author",
    "tags",
    "source",
    "id",
)
"""Columns the index table can show; the first eight are the default, in this order (they fit
the page at 1,400 px in Material and MkDocs' theme; version and author are there on request).
A plan's id is shown in its title cell; `id` gives it a column of its own."""
DEFAULT_INDEX_COLUMNS = INDEX_COLUMNS[:8]


class IndexConfig(base.Config):
    """The `index` option's keys."""

    enabled = c.Type(bool, default=True)
    """Generate the index page (`index: false` is short for `enabled: false`)."""

    path = c.Type(str, default="plans/index.md")
    """Source path of the index page; `plans.json` and `feed.xml` go beside it."""

    title = c.Type(str, default="Plans")
    """Title of the generated index page."""

    columns = c.ListOfItems(c.Type(str), default=list(DEFAULT_INDEX_COLUMNS))
    """Columns of the index table, in order: those of `INDEX_COLUMNS` and the site's `fields`."""


class IndexOption(c.SubConfig[IndexConfig]):
    """`index: false`, `index: true`, or a mapping of `IndexConfig` keys."""

    def run_validation(self, value: object) -> IndexConfig:
        if isinstance(value, bool):
            value = {"enabled": value}
        config = super().run_validation(value)
        path = config.path.strip().lstrip("/")
        if not path.endswith(".md") or ".." in path.split("/") or "\\" in path:
            raise base.ValidationError(
                f"`index.path` must be a Markdown page inside docs_dir such as "
                f"`plans/index.md`, not {config.path!r}"
            )
        config.path = path
        return config

    def post_validation(self, config: base.Config, key_name: str) -> None:
        known = [*INDEX_COLUMNS, *sorted(_site_fields(config))]
        for column in config[key_name].columns:
            if column not in known:
                raise base.ValidationError(
                    f"`index.columns` names {column!r}, which is not a column; columns are "
                    + ", ".join(known)
                    + did_you_mean(column, known)
                )


class StatusNames(c.ListOfItems[str]):
    """Configured status names, matched case-insensitively, kept in the configured spelling."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default=[])

    def post_validation(self, config: base.Config, key_name: str) -> None:
        configured = {name.casefold(): name for name in config["statuses"]}
        names = []
        for name in config[key_name]:
            if name.strip().casefold() not in configured:
                raise base.ValidationError(
                    f"`{key_name}` names {name!r}, which is not one of the statuses "
                    f"({', '.join(configured.values())}); add it to `statuses` or fix the spelling"
                )
            names.append(configured[name.strip().casefold()])
        config[key_name] = names


class IdsOption(c.Type[dict[str, Any]]):
    """`{prefix: TP-, digits: 4}`: the form of the site's plan ids, or `{}` for any id."""

    def __init__(self) -> None:
        super().__init__(dict, default={})

    def run_validation(self, value: object) -> dict[str, Any]:
        ids = super().run_validation(value)
        if not ids:
            return {}
        unknown = sorted(set(ids) - {"prefix", "digits"})
        if unknown:
            raise base.ValidationError(
                f"`ids` has `{unknown[0]}`, which is not an option of it (`prefix`, `digits`)"
            )
        prefix, digits = ids.get("prefix", ""), ids.get("digits", 4)
        if not isinstance(prefix, str):
            raise base.ValidationError(f"`ids.prefix` is text such as `TP-`, not {prefix!r}")
        if not isinstance(digits, int) or isinstance(digits, bool) or not 1 <= digits <= 9:
            raise base.ValidationError(f"`ids.digits` is a number from 1 to 9, not {digits!r}")
        return {"prefix": prefix, "digits": digits}


def id_format_of(config: base.Config) -> IdFormat | None:
    """The form of the site's plan ids, when the `ids` option gives one."""
    ids = config["ids"]
    return IdFormat(ids["prefix"], ids["digits"]) if ids else None


class StatusRulesOption(base.BaseConfigOption[status_rules.StatusRules]):
    """`{status: [rule, ...]}` over the defaults, or `false`; see `status_rules.configure`."""

    def __init__(self) -> None:
        super().__init__()
        self.default = None  # resolved in post_validation, once `statuses` is known

    def run_validation(self, value: object) -> status_rules.StatusRules:
        return value  # type: ignore[return-value]  # checked in post_validation

    def post_validation(self, config: base.Config, key_name: str) -> None:
        try:
            definition = definition_of(config)
        except SiteFormatError:
            return  # reported by `sections`
        try:
            config[key_name] = status_rules.configure(
                config[key_name], list(config["statuses"]), definition
            )
        except ValueError as error:
            raise base.ValidationError(str(error)) from None


class SiteFormatOption(c.Type[dict[str, Any]]):
    """`sections` (or `fields`): a mapping of key names to their options. Once every option
    is read, the site's format is built from `preset`, `fields`, `sections` and `risk_levels`,
    so a mistake in any of them stops the build with a message naming it."""

    def __init__(self) -> None:
        super().__init__(dict, default={})

    def run_validation(self, value: object) -> dict[str, Any]:
        return super().run_validation({} if value is None else value)

    def post_validation(self, config: base.Config, key_name: str) -> None:
        try:
            definition_of(config)
        except SiteFormatError as error:
            # The message names the option at fault (`fields.team`, `preset`), whichever
            # of the four it is: MkDocs reports it under this one.
            raise base.ValidationError(str(error)) from None


def definition_of(config: base.Config) -> Definition:
    """The format of the site whose options are `config` (the same object for the same
    options). Raises `SiteFormatError`."""
    return site_definition(
        fields=config["fields"],
        sections=config["sections"],
        preset=config["preset"],
        risk_levels=config["risk_levels"],
    )


def _site_fields(config: base.Config) -> list[str]:
    """The site's own header fields, or none while its format has mistakes."""
    try:
        definition = definition_of(config)
    except SiteFormatError:
        return []
    added = site_keys(definition)
    return [key.name for key in definition.header if key.name in added]


class TechPlanConfig(base.Config):
    """Options of the `techplan` plugin."""

    preset = c.Optional(c.Choice(tuple(PRESETS)))
    """A ready-made set of header fields, sections, aliases and statuses: `kep`, `rfc` or
    `swift`; `fields` and `sections` add to it (a key named again takes the site's options).
    With `kep`, every `README.md` with a `kep.yaml` beside it is a plan."""

    fields = c.Type(dict, default={})
    """The site's own header lines: `{reviewers: {label: Reviewers, type: people}}`; types
    are `people`, `text`, `date` and `reference`. Shown after Specification, in this order."""

    risk_levels = c.ListOfItems(c.Type(str), default=list(DEFAULT_RISK_LEVELS))
    """Risk levels, highest first: what `impact` and `probability` may be, and the matrix's axes."""

    sections = SiteFormatOption()
    """The site's own sections: `{slos: {title: SLOs, after: monitoring, type: table,
    columns: [objective, target]}}`; types are `markdown`, `list`, `steps`, `checklist` and
    `table`; `after` is `header`, a section key of the template or another site section."""

    statuses = StatusColours()
    """Statuses a plan may have, in order, with badge colours (hex)."""

    markdown_plans = MarkdownPlansOption()
    """Markdown files that are plans besides `plan.md` and `*.plan.md`: glob patterns relative
    to docs_dir (`text/*.md`), each a string or `{glob: text/*.md, status: Accepted}`."""

    aliases = AliasesOption()
    """A document's own keys, header labels and headings → plan keys (`{stage: status,
    Start Date: date, Authors: author}`); the preset's aliases come first."""

    template = c.Optional(c.File(exists=True))
    """A Jinja2 template for plan pages, relative to `mkdocs.yml`; replaces the default."""

    allow_html = c.Type(bool, default=False)
    """Pass raw HTML written in Markdown fields through (for sites that trust their authors);
    off: it is shown as text. Plain fields and code stay text either way, and links whose
    scheme is not http(s), mailto or relative are never emitted."""

    spec_id_key = c.Type(str, default="spec_id")
    """Front-matter key that gives a page its spec id (`specification: SPEC-042`)."""

    max_file_size = c.Type(int, default=1024 * 1024)
    """Largest plan file read, in bytes; larger files are refused before parsing. Raising it
    also raises the budget of text that aliases may expand to (at least this many characters)."""

    index = IndexOption()
    """The plans index page: `false` turns it off; `path`, `title`, `columns` shape it."""

    navigation = c.Choice(("all", "index"), default="all")
    """`all`: every plan page is in the site's navigation (MkDocs lists every page it finds).
    `index`: plan pages stay out of it (`not_in_nav`) and the index stands for them; each plan
    page links back to the index and to the previous and next plans. Large sites build much
    faster: themes render the whole navigation on every page."""

    plans_json = c.Type(bool, default=True)
    """Write `plans.json`, every plan as data (`schema/plans.schema.json`), beside the index."""

    graph = c.Type(bool, default=True)
    """Write `graph.md` beside the index: every relation between plans as a drawing."""

    feed = c.Type(bool, default=True)
    """Write `feed.xml`, an Atom feed of dated plans, beside the index (needs `site_url`)."""

    not_current = StatusNames()
    """Statuses whose plans get a banner saying they no longer describe current work."""

    draft_banner = c.Type(bool, default=True)
    """Show a subtle banner on plans whose status is `Draft`."""

    risk_matrix = c.Type(bool, default=True)
    """Show a 3 by 3 matrix of risks, impact by probability, under Risk Assessment."""

    timeline = c.Type(bool, default=True)
    """Show the phases as a timeline (bars as long as their durations) under Implementation
    Approach."""

    status_rules = StatusRulesOption()
    """What a plan needs per status (`{Approved: [author, date]}`); `false` turns rules off."""

    ids = IdsOption()
    """The form of the plans' ids: `{prefix: TP-, digits: 4}` makes every `id` look like
    `TP-0042`, and `mkdocs-techplan new` write the next free one. Ids are unique either way."""

    staleness_check = c.Type(bool, default=False)
    """In a git checkout, flag Approved plans whose specification was committed after their date."""

    processes = c.Type(int, default=0)
    """Processes that `mkdocs build`, `validate` and `pages` use for sites of 200 plans or
    more: parsing is shared out among them, and a build renders plan pages in one of them
    ahead of MkDocs. `0`: as many as the machine has processors; `1`: everything in the
    command's own process. `mkdocs serve` always uses one."""

    cache = c.Type(bool, default=True)
    """Under Zensical: `mkdocs-techplan pages` keeps the plans it parsed in `cache_dir`, and
    the Zensical extension uses each whose file has not changed instead of parsing it again."""

    cache_dir = c.Type(str, default="")
    """Where `cache` keeps them, relative to the configuration file's folder. Empty: a folder
    per site in the user's cache (`$XDG_CACHE_HOME/mkdocs-techplan`, else
    `~/.cache/mkdocs-techplan`): not in the project's `.cache`, which `zensical build --clean`
    empties, and never in the docs folder, which is published."""

    def validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        failed, warnings = super().validate()
        if isinstance(self.processes, int) and self.processes < 0:
            failed.append(("processes", ValueError("must be 0 (one per processor) or more")))
        return failed, warnings


def page_options(config: TechPlanConfig) -> PageOptions:
    """The options that shape plan pages and listings, for `render_site`."""
    return PageOptions(
        not_current=config.not_current,
        draft_banner=config.draft_banner,
        risk_matrix=config.risk_matrix,
        timeline=config.timeline,
        risk_levels=config.risk_levels,
        index_columns=config.index.columns,
        pagers=config.navigation == "index",
        index_path=config.index.path if config.index.enabled else None,
        index_title=config.index.title,
    )
