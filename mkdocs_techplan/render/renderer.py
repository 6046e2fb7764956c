"""The Jinja2 environment that turns plans into Markdown pages.

Templates produce Markdown, so HTML autoescaping does not fit; instead every `{{ value }}` that
is not already passed through one of the Markdown filters (`plain`, `inline`, `block`, `code`,
`code_span`, `link`, `badge`, or `trusted` for macro output) is escaped as plain text by
`finalize`. A custom template is safe by default in the same way.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.meta
from mkdocs.exceptions import PluginError

from mkdocs_techplan.format.definition import Definition, Key, default_definition
from mkdocs_techplan.format.model import PLAN_TITLE_PREFIX, Plan
from mkdocs_techplan.format.problems import Problem, capped
from mkdocs_techplan.format.site_format import HEADER, site_keys
from mkdocs_techplan.format.statuses import Statuses, StatusStyle
from mkdocs_techplan.markdown import escaping as markdown_text
from mkdocs_techplan.markdown.escaping import Markdown, replace_code_elements
from mkdocs_techplan.render.badges import badge_html
from mkdocs_techplan.render.plan_pages import PageBlocks
from mkdocs_techplan.render.safety import Defer
from mkdocs_techplan.site.page_files import PlanPageFile
from mkdocs_techplan.site.placement import PlanLinks, PlanSite
from mkdocs_techplan.site.references import Link

PLAN_TEMPLATE = "plan.md.j2"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled plan templates kept for the life of the process, and between processes.

    `mkdocs serve` (and any process that builds more than once) makes a new renderer per build;
    compiling the templates again each time cost more than rendering a small site's plans.
    A one-off `mkdocs build` compiled them afresh each time too: 0.3 s, a third of a
    millisecond per plan at 1,000 plans. So the code is also kept in Jinja's own per-user
    cache folder (in the system's temporary folder, private to the user; never in the site).
    Jinja keys each entry by template name and file and checks the source's checksum on load,
    so an edited template is compiled afresh. Every renderer's environment has the same
    options, which the compiled code depends on. At most `LIMIT` entries are kept in memory.
    A cache folder that cannot be used is no cache: the templates are compiled.
    """

    LIMIT = 256

    def __init__(self, folder: str | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self._folder_name = folder
        """Where the code is kept between processes; None: Jinja's per-user folder."""
        self._files: jinja2.FileSystemBytecodeCache | None = None
        """The folder's cache once asked for; None when it cannot be used."""
        self._opened = False

    def _folder(self) -> jinja2.FileSystemBytecodeCache | None:
        if not self._opened:
            self._opened = True
            try:
                self._files = jinja2.FileSystemBytecodeCache(
                    self._folder_name, pattern="mkdocs-techplan-%s.cache"
                )
            except (OSError, RuntimeError):  # no private temporary folder
                self._files = None
        return self._files

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        files = self._folder()
        if files is not None:
            try:
                files.load_bytecode(bucket)
            except Exception:
                bucket.reset()  # many ways; any of them means: compile
            if bucket.code is not None:
                self._code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._code) >= self.LIMIT:
            self._code.pop(next(iter(self._code)))
        self._code[bucket.key] = bucket.bytecode_to_string()
        files = self._folder()
        if files is not None:
            # A full or read-only disk: the next build compiles again.
            with contextlib.suppress(OSError):
                files.dump_bytecode(bucket)


_COMPILED = _CompiledTemplates()


@dataclass(frozen=True)
class SiteLayout:
    """Where a site's own keys go on the page, for the template (as `site`)."""

    fields: tuple[Key, ...] = ()
    """Header lines, in order (shown after Specification)."""
    after: dict[str, tuple[Key, ...]] = field(default_factory=dict)
    """Site sections by the template block they follow (`header`, `architecture`, …,
    `dependencies` for Dependencies & Blockers), in page order."""

    @classmethod
    def of(cls, definition: Definition) -> SiteLayout:
        added = site_keys(definition)
        if not added:
            return cls()
        after: dict[str, list[Key]] = {}
        anchor = HEADER
        for section in definition.sections:
            if section.keys[0].name in added:
                after.setdefault(anchor, []).append(section.keys[0])
            else:
                anchor = section.keys[0].name
        fields = tuple(key for key in definition.header if key.name in added)
        return cls(fields, {name: tuple(keys) for name, keys in after.items()})

    def sections_after(self, anchor: str) -> tuple[Key, ...]:
        return self.after.get(anchor, ())


@dataclass
class PlanPage:
    """Everything a plan page template receives."""

    plan: Plan
    status: StatusStyle | None
    links: PlanLinks
    problems: list[Problem]
    blocks: PageBlocks = field(default_factory=PageBlocks)
    superseded: StatusStyle | None = None
    """Shown beside `status` when a newer plan supersedes this one."""
    relation_statuses: dict[str, StatusStyle | None] = field(default_factory=dict)
    """The status of each plan the page relates to, by its page, for their badges."""


@dataclass(frozen=True, eq=False)
class PageInputs:
    """What a plan page's Markdown is made from. Equal inputs render the same Markdown, so
    `serve --dirty` knows a page is unchanged without rendering it (rendering every plan took
    a third of a rebuild of a thousand plans).

    The plan is compared by identity: the catalog gives back the very object it parsed while
    the plan's file is unchanged, and nothing changes a plan once it is loaded (a one-off
    build drops its page sections, but a one-off build never compares)."""

    renderer: PlanRenderer
    """Its `fingerprint` is computed when first compared: a one-off build never does."""
    page: PlanPage

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageInputs):
            return NotImplemented
        mine, theirs = self.page, other.page
        return (
            mine.plan is theirs.plan
            and (
                self.renderer is other.renderer
                or self.renderer.fingerprint == other.renderer.fingerprint
            )
            and mine.status == theirs.status
            and mine.superseded == theirs.superseded
            and mine.links == theirs.links
            and mine.problems == theirs.problems
            and mine.blocks == theirs.blocks
            and mine.relation_statuses == theirs.relation_statuses
        )

    __hash__ = None  # type: ignore[assignment]


class PlanRenderer:
    """Renders plan pages; build one per build so templates are compiled once."""

    def __init__(
        self,
        *,
        template_file: str | None = None,
        allow_html: bool = False,
        markdown_extensions: Sequence[object] = (),
        wrap: Callable[[str], str] | None = None,
        defer: Defer | None = None,
        defer_inline: Callable[[str], str] | None = None,
        definition: Definition | None = None,
    ) -> None:
        self.allow_html = allow_html
        self.layout = SiteLayout.of(definition or default_definition())
        """The site's own fields and sections, for templates as `site`."""
        self.wrap = wrap
        """Marks a page body as plan data (`safety.PlanHtml.wrap`) in a build; None elsewhere."""
        self.defer = defer
        """Stands in for an HTML block until the page is converted (`safety.PlanHtml.defer`)
        in a build; None elsewhere (a command's Markdown holds the blocks themselves)."""
        self.defer_inline = defer_inline
        """Stands in for a code element of the page's prose until the page is converted
        (`safety.PlanHtml.defer_inline`) in a build; None elsewhere."""
        self.snippets = any(_is_snippets(extension) for extension in markdown_extensions)
        # With pymdownx.tasklist a checklist is written as a task list, which the extension
        # (and Material's custom checkbox) draws as on any page of the site.
        self.tasklist = any(
            _is_extension(extension, "pymdownx.tasklist") for extension in markdown_extensions
        )
        # Fences inside list items (a multi-line task): pymdownx.superfences reads them,
        # Python-Markdown's fenced_code does not.
        self.superfences = any(
            _is_extension(extension, "pymdownx.superfences") for extension in markdown_extensions
        )
        loaders: list[jinja2.BaseLoader] = []
        template_name = PLAN_TEMPLATE
        if template_file:
            loaders.append(jinja2.FileSystemLoader(os.path.dirname(os.path.abspath(template_file))))
            template_name = os.path.basename(template_file)
        package = jinja2.PackageLoader("mkdocs_techplan", "templates")
        # `{% extends "techplan/plan.md.j2" %}` reaches the default even when names clash.
        loaders += [jinja2.PrefixLoader({"techplan": package}), package]
        self.environment = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=False,  # the output is Markdown: `finalize` escapes instead
            finalize=_escape_unless_markdown,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=_COMPILED,
        )
        self.environment.filters.update(self._filters())
        self.environment.globals["checkbox"] = self._checkbox
        # Not escaped yet, as `truncate`: the cell's Markdown filter follows.
        self.environment.filters["excerpt"] = excerpt
        try:
            self.template = self.environment.get_template(template_name)
        except UnicodeDecodeError:
            raise PluginError(
                f"the plan template {template_file} is not UTF-8 text; "
                "give a Jinja2 template that writes Markdown"
            ) from None
        except (OSError, jinja2.TemplateError) as error:
            raise PluginError(
                f"the plan template {template_file} cannot be used: {error}"
            ) from None

    @functools.cached_property
    def fingerprint(self) -> tuple[object, ...]:
        """Everything besides the page that the Markdown depends on: the templates' text (the
        plan template and those it extends or includes) and the options."""
        digest = hashlib.blake2b(digest_size=16)
        names = [self.template.name or PLAN_TEMPLATE]
        seen: set[str] = set()
        while names:
            name = names.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                source = self.environment.loader.get_source(self.environment, name)[0]  # type: ignore[union-attr]
                referenced = jinja2.meta.find_referenced_templates(self.environment.parse(source))
            except (OSError, jinja2.TemplateError):
                source, referenced = "", iter(())
            digest.update(f"{len(name)}:{name}{len(source)}:{source}".encode())
            names += [found for found in referenced if found]
        options = (self.allow_html, self.snippets, self.tasklist, self.superfences)
        return (digest.digest(), options, self.layout, self.wrap, self.defer, self.defer_inline)

    def _filters(self) -> dict[str, Callable[..., Markdown]]:
        allow_html, snippets, fences = self.allow_html, self.snippets, self.superfences
        return {
            "plain": lambda text: Markdown(markdown_text.plain(str(text))),
            "inline": lambda text: Markdown(markdown_text.inline(str(text), allow_html=allow_html)),
            # A list entry: one line, or several as block Markdown inside the item.
            "entry": lambda text: Markdown(
                markdown_text.entry(
                    str(text), allow_html=allow_html, snippets=snippets, fences=fences
                )
            ),
            # `block(3)`: headings in the text become headings of at least that level (a
            # field under a `##` section heading); without a level they are shown as text.
            "block": lambda text, headings=None: Markdown(
                markdown_text.block(
                    str(text),
                    allow_html=allow_html,
                    snippets=snippets,
                    fences_in_items=fences,
                    heading_floor=headings,
                )
            ),
            # A Markdown plan's own text, as a hand-written page of the site shows it (the
            # sanitizer still takes out whatever is not safe for readers).
            "document": lambda text: Markdown(markdown_text.document(str(text), snippets=snippets)),
            # A header field of any value (`milestone: {alpha: v1.29}`), as plain text.
            "field_value": lambda value: Markdown(markdown_text.plain(_field_value(value))),
            # Inside raw HTML blocks Markdown is not processed: escape for HTML instead.
            "html": lambda text: Markdown(html.escape(str(text))),
            "message_html": lambda text: Markdown(message_html(str(text))),
            "code": lambda text, language="": Markdown(
                markdown_text.code_fence(text, language, snippets=snippets)
            ),
            "code_span": lambda text: Markdown(markdown_text.code_span(str(text))),
            "link": lambda link: Markdown(markdown_link(link)),
            "badge": lambda status, count=None: Markdown(badge_html(status, count=count)),
            # For the output of the template's own macros, whose parts are already escaped.
            "trusted": lambda text: Markdown(text),
            "join_plain": lambda items, separator=", ": Markdown(
                separator.join(_own_commas(markdown_text.plain(str(item))) for item in items)
            ),
            "record_name": lambda text: Markdown(
                markdown_text.record_name(str(text), allow_html=allow_html)
            ),
            "join_inline": lambda items, separator=", ": Markdown(
                separator.join(
                    _own_commas(markdown_text.inline(str(item), allow_html=allow_html))
                    for item in items
                )
            ),
            # A phase heading ends with `(<duration>)`: a name's own closing `)` is written as
            # a reference, so the name never reads as a duration (`Sofort (Sprint 1)`).
            "phase_name": lambda text: Markdown(
                _closing_paren(markdown_text.inline(str(text), allow_html=allow_html))
            ),
        }

    def _checkbox(self, done: bool) -> Markdown:
        """The box that starts a checklist entry: `[x]` for pymdownx.tasklist, else HTML."""
        if self.tasklist:
            return Markdown("[x]" if done else "[ ]")
        checked = " checked" if done else ""
        return Markdown(f'<input type="checkbox" class="techplan-check" disabled{checked}>')

    def render_fragment(self, template_name: str, **context: Any) -> str:
        """Markdown from one of the package's fragment templates (a user's copy wins)."""
        template = self.environment.get_template(template_name)
        try:
            return template.render(**context)
        except jinja2.TemplateError as error:
            raise PluginError(f"the template {template.filename} failed: {error}") from None

    def render_plan_fragment(self, template_name: str, **context: Any) -> str:
        """A fragment that goes into a page that is not a plan's (listings, backlinks),
        marked as plan data for the build's HTML sanitizer."""
        markdown = self.render_fragment(template_name, **context)
        return self.wrap(markdown) if self.wrap else markdown

    def render(self, page: PlanPage) -> str:
        """The page's Markdown, front matter first."""
        try:
            body = self.template.render(
                plan=page.plan,
                status=page.status,
                superseded=page.superseded,
                links=page.links,
                problems=page.problems,
                blocks=page.blocks,
                site=self.layout,
                relation_statuses=page.relation_statuses,
            )
        except jinja2.TemplateError as error:
            where = f"{self.template.filename}"
            if getattr(error, "lineno", None):
                where += f":{error.lineno}"  # type: ignore[attr-defined]
            raise PluginError(
                f"the plan template {where} failed on {page.plan.source.display_path}: {error}"
            ) from None
        if self.defer_inline is not None:
            body = replace_code_elements(body, self.defer_inline)
        return front_matter(page.plan) + (self.wrap(body) if self.wrap else body)


def _own_commas(markdown: str) -> str:
    """An entry of a `, `-separated line with its own `, ` written `&#44; ` (the page shows a
    comma all the same), so the line splits back into the entries it was made of. Entries
    with code spans are left as they are: a reference would show in the code."""
    if ", " not in markdown or "`" in markdown:
        return markdown
    return markdown.replace(", ", "&#44; ")


def _closing_paren(markdown: str) -> str:
    if markdown.endswith(")") and "`" not in markdown:
        markdown = markdown[:-1] + "&#41;"
    return _close_open_destinations(markdown)


def _close_open_destinations(markdown: str) -> str:
    """`markdown` with the `(` of every link destination it leaves open written as `&#40;`.

    A phase heading goes on with ` (<duration>)`: a destination the name leaves open (`[a](b`,
    or one whose `)` was just written as a reference) would run on to the duration's `)`, and
    the duration would become part of a link's address instead of text."""
    # Python-Markdown closes the destination opened at `(` at the first later `)` that brings
    # the count of parentheses back below the count just after that `(`: with the count after
    # each character and the lowest count from each character on, one pass finds them all
    # (a name of many `](` cost quadratic time scanned from each).
    counts: list[int] = []
    count = 0
    for char in markdown:
        count += 1 if char == "(" else -1 if char == ")" else 0
        counts.append(count)
    lowest_from = counts[:]
    for index in range(len(counts) - 2, -1, -1):
        lowest_from[index] = min(counts[index], lowest_from[index + 1])
    opened = [
        found.end() - 1
        for found in _DESTINATION_START.finditer(markdown)
        if found.end() == len(markdown) or lowest_from[found.end()] >= counts[found.end() - 1]
    ]
    for position in reversed(opened):
        markdown = markdown[:position] + "&#40;" + markdown[position + 1 :]
    return markdown


_DESTINATION_START = re.compile(r"\]\(")


def markdown_link(link: Link) -> str:
    """`[text](href)`, or the text alone when the reference could not be resolved."""
    text = markdown_text.plain(link.text)
    if link.href is None:
        return text
    # Whatever an author wrote in a URL or an anchor, the destination stays one token: no
    # space, line break, parenthesis, `<`, backtick or `|` can end it or open other markup.
    return f"[{text}]({markdown_text.link_destination(link.href)})"


def message_html(message: str) -> str:
    """A problem message as HTML, its `code` spans shown as code."""
    return _BACKTICKED.sub(r"<code>\1</code>", html.escape(message))


_BACKTICKED = re.compile(r"`([^`]+)`")


EXCERPT_LENGTH = 300


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The first paragraph of `text` on one line, cut at a word to at most `length`
    characters with `…` added. An index row shows this much of a plan's summary: the whole
    summary made rows tall, and a long one in a single table cell cost Python-Markdown
    quadratic time."""
    first = markdown_text.first_paragraph(text)
    if len(first) <= length:
        return first
    cut = first.rfind(" ", 0, length)
    return first[: cut if cut > length // 2 else length].rstrip() + "…"


def front_matter(plan: Plan) -> str:
    """Page metadata: title, description, tags; and no second Jinja pass by mkdocs-macros."""
    # Themes write `title`, `description` and `tags` from the front matter into the page as
    # HTML (the navigation, `<title>`, `<meta content="…">`, Material's tag links) without
    # escaping them, as MkDocs' own titles are HTML: so these are HTML-escaped here.
    # A plan written in Markdown from the template has its heading's own prefix already.
    prefix = PLAN_TITLE_PREFIX
    title = plan.title if plan.title.startswith(prefix) else f"{prefix} {plan.title}"
    meta: dict[str, Any] = {"title": _html_text(title)}
    description = markdown_text.to_plain_text(plan.summary, block=True) if plan.summary else ""
    if description:  # a summary of only a rule or a code block describes nothing
        meta["description"] = _html_text(description)
    if plan.tags:
        meta["tags"] = [_html_text(tag) for tag in plan.tags]
    meta["render_macros"] = False
    return front_matter_text(meta)


def front_matter_text(meta: dict[str, Any]) -> str:
    """The front matter block of a generated page; `meta` holds texts, lists of texts and
    booleans."""
    written = "".join(f"{key}: {_yaml_value(value)}\n" for key, value in meta.items())
    return f"---\n{written}---\n\n"


def _yaml_value(value: Any) -> str:
    """`value` as JSON, which YAML reads as the same value (a YAML emitter costs ten times
    more); the characters YAML would refuse or read as line breaks are written as escapes."""
    return _RAW_IN_JSON.sub(_escaped, json.dumps(value, ensure_ascii=False))


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


# Left as they are by JSON: C1 controls and DEL (not printable for YAML), NEL and the Unicode
# line and paragraph separators (line breaks for YAML 1.1), the byte-order mark, non-characters.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _html_text(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _field_value(value: Any) -> str:
    """`{alpha: v1.29, beta: v1.30}` → `alpha: v1.29, beta: v1.30`; a list comma-separated."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_field_value(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_field_value(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _is_snippets(extension: object) -> bool:
    """`pymdownx.snippets`, named in `markdown_extensions` or given as an instance."""
    return _is_extension(extension, "pymdownx.snippets")


def _is_extension(extension: object, name: str) -> bool:
    """The Python-Markdown extension `name`, named in `markdown_extensions` or an instance."""
    if isinstance(extension, str):
        return extension == name
    return type(extension).__module__ == name


def _escape_unless_markdown(value: Any) -> Any:
    if isinstance(value, Markdown) or not isinstance(value, str):
        return value
    return markdown_text.plain(value)


def render_pages(
    site: PlanSite, renderer: PlanRenderer, statuses: Statuses, blocks: dict[str, PageBlocks]
) -> None:
    """Give each placed plan's page that has its `blocks` its Markdown, rendered when MkDocs
    reads the page, and what that Markdown is made from (`PageInputs`)."""
    by_page = {item.plan.source.page_uri: statuses.of(item.plan.status) for item in site.placed}
    for item in site.placed:
        if item.plan.source.page_uri not in blocks:
            continue
        links = item.links
        related = [*links.depends_on, *links.required_by, *links.extends, *links.extended_by]
        related += links.related
        page = PlanPage(
            plan=item.plan,
            status=statuses.of(item.plan.status),
            links=item.links,
            problems=capped(item.problems),
            blocks=blocks[item.plan.source.page_uri],
            superseded=statuses.superseded if item.superseded_by else None,
            relation_statuses={
                link.target: by_page[link.target]
                for link in related
                if link.target and link.target in by_page
            },
        )
        assert isinstance(item.file, PlanPageFile)
        item.file.render = functools.partial(renderer.render, page)
        item.file.inputs = PageInputs(renderer, page)
