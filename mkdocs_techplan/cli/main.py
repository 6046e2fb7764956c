"""The `mkdocs-techplan` command: each subcommand reads its options and calls the module that
does the work. Exit status: 0 success, 1 problems found (or the command could not finish),
2 wrong usage (bad option, missing file, a `mkdocs.yml` that cannot be used).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any, TypeVar

import click
from mkdocs.exceptions import PluginError

from mkdocs_techplan import __version__
from mkdocs_techplan.build.checking import Settings, check, check_text, command_catalog
from mkdocs_techplan.build.core import SCRIPT, STYLESHEET, BuildResult
from mkdocs_techplan.build.docs_folder import build_docs_folder, docs_files
from mkdocs_techplan.build.site_config import Site, SiteError, find_config, load_site
from mkdocs_techplan.cli.pages import PagesError, sync_pages
from mkdocs_techplan.cli.preview import PreviewError, render_file
from mkdocs_techplan.cli.reports import FORMATS, LIST_FORMATS, format_plans, format_problems
from mkdocs_techplan.cli.scaffold import (
    NewPlan,
    ScaffoldError,
    default_title,
    markdown_plan_text,
    plan_path,
    plan_text,
    remove_new_plan,
    write_plan,
)
from mkdocs_techplan.config import id_format_of
from mkdocs_techplan.format.files import UnreadableFile, is_inside, read_bounded
from mkdocs_techplan.format.problems import Problem, capped, terminal_safe
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.markdown.importing import import_plan
from mkdocs_techplan.site.catalog import PlanCatalog, display_path
from mkdocs_techplan.site.forked import collector_paused
from mkdocs_techplan.site.plan_ids import next_free_id
from mkdocs_techplan.site.plan_store import save_plans

SCHEMA_FILE = "schema/plan.schema.json"


class UsageProblem(click.ClickException):
    """The command cannot run as asked: exit status 2, like click's own usage errors."""

    exit_code = 2


class Failed(click.ClickException):
    """The command ran but could not do what was asked: exit status 1."""

    exit_code = 1


_Command = TypeVar("_Command", bound=Callable[..., Any])

config_file_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False),
    help="The site's mkdocs.yml: use its techplan options (statuses, limits, template).",
)


def format_option(choices: Sequence[str], help_text: str) -> Callable[[_Command], _Command]:
    """`--format`, one of `choices` (the first is the default)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help_text,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mkdocs-techplan")
def main() -> None:
    """Work with technical plans written as plan.yaml files."""


def run() -> None:
    """The console script: `main`, in a process that ends with the command."""
    try:
        main()
    finally:
        # Whatever the command loaded ends with the process. A site's plans are linked both
        # ways (a plan and its page), so without this Python's exit would walk them with its
        # cycle collector first: 0.3 s after `validate` of 1,000 plans, a fifth of the command.
        gc.freeze()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--alone",
    is_flag=True,
    help="Check the plans on their own: do not look for a mkdocs.yml around them.",
)
@config_file_option
@format_option(
    FORMATS, "text: path:line:col: message; json: a list of problems; github: workflow annotations."
)
def validate(
    paths: tuple[str, ...], alone: bool, config_file: str | None, output_format: str
) -> None:
    """Check plan files (or the plans in folders) without building the site.

    Without PATHS: the site the current folder belongs to (the nearest mkdocs.yml,
    properdocs.yml or zensical.toml here or above), every plan with the site's rules, with the
    verdict of `mkdocs build --strict`; with no site found, the plans here on their own. With
    PATHS: the site around the first PATH when its docs folder holds them all (its rules, only
    their problems), else the plans on their own. -f names the site; --alone never uses one.
    Exit status 1 when there are problems.
    """
    if config_file:
        site = _site(config_file)
    elif paths:
        site = _site_around(paths, alone=alone)
    else:
        site = None if alone else _site_here()
    # What checking reads (the plans, linked both ways with their pages) stays until the
    # command ends, and is nearly all of what it makes: the collector, run meanwhile, only
    # walked it again (a tenth of `validate` on 1,000 plans).
    with collector_paused():
        result = check(paths or (() if site else (".",)), site)
    report = format_problems(result.problems, len(result.plans), output_format)
    click.echo(report, nl=False)
    for message in result.messages:
        click.echo(message, err=True)
    sys.exit(1 if result.problems or result.messages else 0)


@main.command("list")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@config_file_option
@click.option(
    "--status",
    "wanted",
    multiple=True,
    metavar="STATUS",
    help="Only plans with this status (repeat for several; any letter case).",
)
@format_option(LIST_FORMATS, "table for a terminal, json for a script.")
def list_plans(
    paths: tuple[str, ...], config_file: str | None, wanted: tuple[str, ...], output_format: str
) -> None:
    """List plans with status, version, date, title and path.

    PATHS default to the current folder; with -f, the site's plans (PATHS then narrow them).
    """
    site = _site(config_file)
    statuses = Settings.of(site).statuses
    chosen = set()
    for name in wanted:
        status = match_status(name, statuses)
        if status is None:
            raise click.BadParameter(
                f"{name!r} is not a status; use one of {', '.join(statuses)}",
                param_hint="--status",
            )
        chosen.add(status)
    plans = check(paths or (() if site else (".",)), site).plans
    plans = [plan for plan in plans if not chosen or plan.status in chosen]
    plans.sort(key=lambda plan: plan.source.display_path)
    click.echo(format_plans(plans, output_format), nl=False)


@main.command()
@click.option(
    "--path",
    "show_path",
    is_flag=True,
    help="Print where the installed schema file is instead of its content.",
)
@config_file_option
def schema(show_path: bool, config_file: str | None) -> None:
    """Print the plan JSON Schema (the one the plugin validates with), for editors and tools.

    With -f, the site's schema: its own fields, sections and risk levels included. Save it
    beside mkdocs.yml and point editors at it (`new --schema`), so they complete site keys.
    """
    file = resources.files("mkdocs_techplan").joinpath(SCHEMA_FILE)
    if show_path:
        if config_file:
            raise UsageProblem("--path names the shipped schema; -f prints the site's instead")
        click.echo(str(file))
    elif config_file:
        definition = Settings.of(_site(config_file)).definition
        click.echo(json.dumps(definition.schema, indent=2, ensure_ascii=False))
    else:
        click.echo(file.read_text(encoding="utf-8"), nl=False)


@main.command()
@click.argument("path", type=click.Path())
@click.option("--title", help="The plan's title (default: from the folder or file name).")
@click.option("--status", help="The plan's status (default: the site's first status, Draft).")
@click.option("--author", "authors", multiple=True, help="An author (repeat for several).")
@click.option(
    "--spec",
    "specifications",
    multiple=True,
    help="The specification: a page path relative to the plan, an URL or a spec id (repeatable).",
)
@click.option(
    "--schema",
    "schema_location",
    default=None,
    help="Schema URL or path for the first line's `$schema=` (editors read it); default: the "
    "site's plan.schema.json beside its configuration when there is one, else no such line.",
)
@config_file_option
def new(
    path: str,
    title: str | None,
    status: str | None,
    authors: tuple[str, ...],
    specifications: tuple[str, ...],
    schema_location: str,
    config_file: str | None,
) -> None:
    """Write a new plan.yaml at PATH (a folder, or a plan file name) to fill in; a PATH
    named `plan.md` or `<slug>.plan.md` gets a plan written in Markdown instead.

    Every section of the template is in it as commented guidance (the site's own fields and
    sections too, in their places). The site is the one PATH belongs to (the nearest
    mkdocs.yml, properdocs.yml or zensical.toml), or -f. The plan written passes `validate` and
    the strict build for the status asked; when it would not (In Review needs --author and
    --spec), nothing is written and the message says what to add. An existing file is never
    replaced, and a path outside the docs folder or at an existing page is refused.
    """
    site = _site(config_file) if config_file else _site_of_new(path)
    settings = Settings.of(site)
    # One catalog for both checks (the next free id, then the plan written): the second
    # parses only the new file.
    catalog = command_catalog(site.options.processes) if site else None
    statuses = settings.statuses
    chosen = match_status(status, statuses) if status else statuses[0]
    if chosen is None:
        raise click.BadParameter(
            f"{status!r} is not a status; use one of {', '.join(statuses)}", param_hint="--status"
        )
    try:
        target = plan_path(path)
        if site is not None and not is_inside(target, site.docs_dir):
            raise ScaffoldError(
                f"{path} is outside the docs folder of {display_path(site.config_file)} "
                f"({display_path(os.path.abspath(site.docs_dir))}): the site would never build "
                "it; put the plan under that folder",
                usage=True,
            )
        plan = NewPlan(
            title or default_title(target),
            chosen,
            authors,
            specifications,
            id=_next_id(site, catalog),
        )
        schema = schema_location if schema_location is not None else _site_schema(site, target)
        text = (
            markdown_plan_text(plan, settings.definition)
            if target.endswith(".md")
            else plan_text(plan, schema, settings.definition)
        )
        created = write_plan(target, text)
    except ScaffoldError as error:
        raise (UsageProblem if error.usage else Failed)(str(error)) from None
    except OSError as error:
        raise Failed(f"{path}: {error.strerror}") from None
    if site is not None:  # the promise: what `new` writes, the site's strict build accepts
        problems = check((target,), site, catalog).problems
        if problems:
            remove_new_plan(target, created)
            raise Failed(_refusal(target, chosen, problems))
    click.echo(f"created {display_path(os.path.abspath(target))}")


def _next_id(site: Site | None, catalog: PlanCatalog | None) -> str | None:
    """The site's next free plan id, when it numbers its plans (the option `ids`)."""
    id_format = id_format_of(site.options) if site else None
    if site is None or id_format is None:
        return None
    return next_free_id(check((), site, catalog).plans, id_format)


def _site_of_new(path: str) -> Site | None:
    """The site a new plan at `path` belongs to: the nearest configuration above it."""
    folder = os.path.abspath(path)
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    found = find_config(folder)
    return _load_or_none(found, "writing a plan without a site's rules") if found else None


def _site_schema(site: Site | None, target: str) -> str:
    """The site's own schema file beside its configuration (`mkdocs-techplan schema -f … >
    plan.schema.json`), relative to the new plan; empty without one (no `$schema=` line)."""
    if site is None:
        return ""
    schema = os.path.join(os.path.dirname(os.path.abspath(site.config_file)), "plan.schema.json")
    if not os.path.isfile(schema):
        return ""
    return os.path.relpath(schema, os.path.dirname(os.path.abspath(target))).replace(os.sep, "/")


_OPTION_FOR = {"author": "--author NAME", "specification": "--spec PATH"}


def _refusal(target: str, status: str, problems: Sequence[Problem]) -> str:
    """Why `new` wrote nothing, and what to add."""
    wanted = [
        option
        for key, option in _OPTION_FOR.items()
        if any(f"requires `{key}`" in problem.message for problem in problems)
    ]
    others = [p for p in problems if not any(f"requires `{k}`" in p.message for k in _OPTION_FOR)]
    lines = [
        f"{display_path(os.path.abspath(target))} is not written: with the status {status} it "
        "would fail the build:"
    ]
    lines += [f"  {problem.message}" for problem in problems]
    if wanted:
        lines.append(f"give {' and '.join(wanted)}")
    if any(problem.message.startswith("status `") for problem in others):
        lines.append(
            "or write the plan with an earlier status (such as Draft) and fill in what the "
            "status needs before changing it"
        )
    return "\n".join(lines)


@main.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False),
    help="A Jinja2 template to render with instead of the default (or the site's).",
)
@config_file_option
def render(plan: str, template: str | None, config_file: str | None) -> None:
    """Print the Markdown page PLAN becomes.

    In a site (the one around PLAN, or -f): exactly the page the site's build makes, links
    resolved. A plan outside any site is rendered on its own: page paths and spec ids shown as
    written, only URLs linked. Problems go to standard error and make the exit status 1; the
    page is printed all the same.
    """
    site = _site(config_file) if config_file else _site_around((plan,))
    try:
        markdown, problems = render_file(plan, site, template)
    except (PreviewError, PluginError) as error:
        raise UsageProblem(str(error)) from None
    click.echo(markdown, nl=False)
    _report(problems)
    sys.exit(1 if problems else 0)


@main.command()
@config_file_option
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing; exit with status 1 when the pages are not up to date (for CI).",
)
def pages(config_file: str | None, check: bool) -> None:
    """Write the plan pages, the index and the assets into the docs folder, for Zensical.

    Zensical builds the pages it finds in the docs folder and runs no MkDocs plugin: this
    writes each page the plugin would make (marked as generated), and the
    `mkdocs_techplan.zensical` Markdown extension adds backlinks and listings while Zensical
    builds. Only files this command wrote are ever replaced or removed. Without -f, the
    mkdocs.yml of the current folder is used.
    """
    found = config_file or find_config(".")
    if found is None:
        raise UsageProblem(
            "no mkdocs.yml, properdocs.yml or zensical.toml here or above; give one with -f"
        )
    site = _site(found)
    assert site is not None
    built: list[BuildResult] = []
    catalog = command_catalog(site.options.processes)

    def make_files() -> dict[str, bytes]:
        built.append(build_docs_folder(site, catalog=catalog))
        return docs_files(built[0])

    try:
        changes = sync_pages(site.docs_dir, make_files, check=check)
    except PagesError as error:
        raise UsageProblem(str(error)) from None
    docs = display_path(os.path.abspath(site.docs_dir))
    for path in changes.refused:
        click.echo(
            f"{docs}/{path} exists and was not written by mkdocs-techplan: not replaced; "
            "move it, or remove it to let the plan's page be written",
            err=True,
        )
    verb = ("would write", "would remove") if check else ("wrote", "removed")
    for path in changes.written:
        click.echo(f"{verb[0]} {docs}/{path}")
    for path in changes.removed:
        click.echo(f"{verb[1]} {docs}/{path} (its plan is gone)")
    result = built[0]
    if not check and site.cache_folder:
        # The Zensical build that follows uses what was parsed here (`plan_store.py`).
        not_kept = save_plans(catalog, site.cache_folder, site.options_digest(), site.docs_dir)
        if not_kept:
            click.echo(f"note: {not_kept}", err=True)
    unstyled = _assets_not_loaded(site)
    if unstyled:
        click.echo(unstyled, err=True)
    if ZENSICAL_EXTENSION not in _extension_names(site.config.markdown_extensions):
        click.echo(
            f"note: {found} does not list `{ZENSICAL_EXTENSION}` under markdown_extensions: "
            "under Zensical, plan pages then get no backlinks and `<!-- techplan:index -->` "
            "stays empty",
            err=True,
        )
    # What the build says, but for pages whose plans are gone: this command removes those.
    warnings = [message.text for message in result.messages if message.level == "warning"]
    for line in [message.text for message in result.messages] + [
        str(problem) for problem in capped(result.problems)
    ]:
        click.echo(line, err=True)
    if check and changes.any:
        click.echo("the plan pages are out of date: run `mkdocs-techplan pages`", err=True)
    failed = warnings or result.problems or changes.refused or unstyled
    sys.exit(1 if (check and changes.any) or failed else 0)


def _assets_not_loaded(site: Site) -> str:
    """What to add when the site does not load the stylesheet and script `pages` writes
    (Zensical adds no asset for a plugin: without them badges, the risk matrix, the timeline
    and the index's filter stay unstyled); empty when it does."""
    css = [str(value) for value in site.config.extra_css]
    scripts = [str(value) for value in site.config.extra_javascript]
    if STYLESHEET in css and SCRIPT in scripts:
        return ""
    if site.config_file.endswith(".toml"):
        lines = f'  extra_css = ["{STYLESHEET}"]\n  extra_javascript = ["{SCRIPT}"]'
        where = "under [project]"
    else:
        lines = f"  extra_css:\n    - {STYLESHEET}\n  extra_javascript:\n    - {SCRIPT}"
        where = "at the top level"
    return (
        f"{display_path(site.config_file)} does not load the plan pages' stylesheet and script, "
        "so under Zensical badges, the risk matrix, the timeline and the index's filter stay "
        f"unstyled; add {where}:\n{lines}"
    )


ZENSICAL_EXTENSION = "mkdocs_techplan.zensical"


def _extension_names(extensions: Sequence[object]) -> list[str]:
    return [extension if isinstance(extension, str) else "" for extension in extensions]


def write_new_file(path: str, text: str, *, replace: bool) -> None:
    """Write `text` to a new file at `path`; with `replace`, over a regular file there.

    Never through a symbolic link (a dangling one included): the link would send the text to
    a file the user did not name. A replaced file is swapped whole, so it is never half written.
    """
    if os.path.islink(path):
        raise Failed(f"{path} is a symbolic link; name the file itself")
    if os.path.lexists(path) and not replace:
        raise Failed(f"{path} already exists; use --force to replace it")
    if os.path.lexists(path) and not os.path.isfile(path):
        raise Failed(f"{path} is not a regular file")
    folder = os.path.dirname(path) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        if not replace:
            with open(path, "x", encoding="utf-8") as stream:  # fails if anything appeared
                stream.write(text)
            return
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=".techplan-", delete=False
        ) as temporary:
            temporary.write(text)
        os.replace(temporary.name, path)
    except OSError as error:
        raise Failed(f"{path}: cannot write the file: {error.strerror}") from None


@main.command("import")
@click.argument("markdown", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the plan to this file (a plan.yaml) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@config_file_option
def import_(markdown: str, output: str | None, force: bool, config_file: str | None) -> None:
    """Turn a Technical Plan written in Markdown (from the template) into plan.yaml.

    Parts that have no place in the format are reported on standard error, with their line,
    and kept in the output under `x-unplaced` so nothing is lost. Exit status 1 when some
    part could not be placed or the result has problems; the file is written all the same.
    """
    settings = Settings.of(_site(config_file))
    limit = settings.limits.max_bytes
    try:
        raw = read_bounded(markdown, limit)
    except UnreadableFile as error:
        raise Failed(f"{markdown}: {error.message}") from None
    if len(raw) > limit:
        raise Failed(
            f"{markdown}: the file is larger than the limit of {limit:,} bytes "
            "(the `max_file_size` option of the site given with -f)"
        )
    imported = import_plan(
        raw.decode("utf-8-sig", errors="replace"), settings.statuses, settings.definition
    )
    text = imported.yaml_text()
    target = display_path(os.path.abspath(output)) if output else "<stdout>"
    notes = imported.notes(display_path(os.path.abspath(markdown)))
    notes += check_text(text, target, settings)
    if output:
        write_new_file(output, text, replace=force)
        click.echo(f"wrote {target}", err=True)
    else:
        click.echo(text, nl=False)
    _report(notes)
    sys.exit(1 if notes else 0)


def _site(config_file: str | None) -> Site | None:
    if config_file is None:
        return None
    try:
        return load_site(config_file)
    except SiteError as error:
        raise UsageProblem(str(error)) from None


def _site_here() -> Site | None:
    """The site the current folder belongs to, said on stderr; None (said too) without one."""
    found = find_config(".")
    if found is None:
        click.echo(
            "no mkdocs.yml, properdocs.yml or zensical.toml here or above: checking the plans "
            "here on their own, without a site's rules",
            err=True,
        )
        return None
    site = _load_or_none(found, "checking the plans here on their own")
    if site is not None:
        click.echo(f"checking the site of {display_path(found)} (-f to choose another)", err=True)
    return site


def _load_or_none(config_file: str, instead: str) -> Site | None:
    """The site of `config_file`, or None with a line on stderr saying what is done instead."""
    try:
        return load_site(config_file)
    except SiteError as error:
        click.echo(f"{instead}: {terminal_safe(str(error))}", err=True)
        return None


def _site_around(paths: Sequence[str], *, alone: bool = False) -> Site | None:
    """The site whose docs folder holds `paths`: the nearest mkdocs.yml (or mkdocs.yaml) in
    the first path's folder or above, when it enables techplan. Anything else (no file, one
    that cannot be loaded or does not enable techplan, paths outside its docs) means the plans
    are checked on their own; a line on stderr says which site was used, or why none."""
    found = None if alone else find_config(paths[0])
    site = _load_or_none(found, "checking plans on their own") if found else None
    if found is None or site is None:
        return None
    if not all(is_inside(path, site.config.docs_dir) for path in paths):
        return None
    click.echo(
        f"checking against the site of {display_path(found)} (-f to choose another)", err=True
    )
    return site


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
