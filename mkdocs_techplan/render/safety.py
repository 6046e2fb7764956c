"""Plan data never puts active content in a reader's browser, whatever its Markdown says.

Escaping plan text at the Markdown source (`markdown/escaping.py`) keeps pages well formed,
but Markdown has more ways to spell a link than any check of the source can know (labels over
two lines, padded destinations, math commands). So safety is decided again where it is
certain: on the HTML MkDocs made. Every piece of Markdown the plugin writes from plan data is
put between two HTML comments carrying a random key of this build (plan text cannot guess it,
so it cannot close the region early); after MkDocs has converted the page, the HTML between
them goes through an allowlist sanitizer (ammonia, through `nh3`), and the comments go.

The allowlist is what Markdown, the usual extensions (tables, admonitions, task lists, code
highlighting, emoji, math) and this plugin's templates produce. Not allowed, whatever the
source: `<script>`, `<style>`, `<iframe>`, `<object>`, `<embed>`, `<form>`, `<base>`, `<meta>`,
event handler attributes, and URLs other than http(s), mailto and relative ones. `\\href` and
`\\url` math commands keep only such URLs.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

from mkdocs_techplan.render.allowlist import (
    ATTRIBUTES,
    CLEAN_CONTENT,
    GENERIC_ATTRIBUTE_PREFIXES,
    SCHEME,
    STYLE_PROPERTIES,
    TAGS,
    THEME_ATTRIBUTE_PREFIX,
    URL_SCHEMES,
    kept_as_is,
)

if TYPE_CHECKING:
    import nh3

# MathJax and KaTeX turn `\href{url}{text}` and `\url{url}` into links in the browser, from
# the page's text, where no HTML sanitizer looks. The URL is kept only when it is safe.
_MATH_LINK = re.compile(r"\\(?:href|url)\s*\{([^{}]*)\}")


class Defer(Protocol):
    """`PlanHtml.defer`, as the renderer and listings are handed it in a build."""

    def __call__(self, html_block: str, cells: Sequence[str] = ()) -> str: ...


_SLOT_PREFIX = "techplan-cell-slot-"
_SLOT = re.compile(rf"{_SLOT_PREFIX}([0-9]+)-")


def cell_slot(number: int) -> str:
    """Where a deferred block shows its cell `number` (`PlanHtml.defer`). Only the plugin's
    own HTML holds slots; plan text goes into cells, which are never searched for them."""
    return f"{_SLOT_PREFIX}{number}-"


class PlanHtml:
    """Marks where plan data enters a page's Markdown and sanitizes that HTML once converted."""

    def __init__(self) -> None:
        key = secrets.token_hex(12)
        self._open = f"<!-- techplan-data {key} -->"
        self._close = f"<!-- /techplan-data {key} -->"
        self._block_prefix = f"techplanblock{key}"
        # The word first: a pattern that starts with a literal is searched for, one that
        # starts with an optional `<p>` is tried at every character of the page.
        # A block's word, or `<word>x<n>`: the paragraph holding its cell `n` (`defer`).
        self._block = re.compile(rf"({self._block_prefix}[0-9a-f]{{24}})(?:x([0-9]+))?")
        # An inline element's word (`defer_inline`): put back where it stands, never in place
        # of its paragraph, and never read as a block's cell.
        self._inline_prefix = f"techplaninline{key}"
        self._inline_word = re.compile(rf"{self._inline_prefix}[0-9a-f]{{24}}")
        self._deferred: dict[str, str] = {}
        self._clean: dict[str, str] = {}
        """Each deferred block once sanitized, by its word."""
        self._cells: dict[str, tuple[str, ...]] = {}
        """Each deferred block's cells (their Markdown), by its word."""
        self._expected: dict[str, tuple[str, str]] = {}
        """Plan pages' HTML as the process that rendered them expected the engine to make
        it, and what `sanitize` makes of it (`expect`), by page, until the page is
        sanitized."""
        self.converted: ConvertedCells | None = None
        """`mkdocs serve --dirty`: cells converted at the last build, reused when unchanged."""

    def forget_blocks(self) -> None:
        """Forget the deferred blocks: when a build starts (`mkdocs serve` builds again), and
        when a one-off build has put every block back in its page."""
        self._deferred.clear()
        self._clean.clear()
        self._cells.clear()
        self._expected.clear()

    def defer(self, html_block: str, cells: Sequence[str] = ()) -> str:
        """A one-word paragraph that stands for `html_block` in a page's Markdown until the
        page is converted, where `sanitize` puts the block back.

        The plugin's own HTML blocks (banners, the relation graph, the timeline, the risk
        matrix, listings) are final HTML: Python-Markdown would only parse them to copy them,
        which cost a build more than the rest of their page did. The word is the build's key
        and the block's digest: plan text cannot guess it, and a block that changes changes
        its page's Markdown (what `mkdocs serve --dirty` compares).

        `cells` are Markdown the block shows where it holds `cell_slot(n)` (a listing's
        links and summaries): each becomes a paragraph of its own after the word, converted
        with the page as any Markdown of the site is (its extensions, its link checks), and
        moved into its slot when the block is put back. A listing of 1,000 plans written as a
        Markdown table took Python-Markdown 1.2 s, mostly for the 14 inline HTML spans of each
        row; as a block with its cells as paragraphs, MkDocs reads the whole page in 0.74 s."""
        if not html_block:
            return ""
        hashed = hashlib.blake2b(html_block.encode(), digest_size=12)
        for cell in cells:
            hashed.update(b"\0" + cell.encode())
        token = self._block_prefix + hashed.hexdigest()
        self._deferred[token] = html_block
        self._cells[token] = tuple(cells)
        return _with_cells(token, cells)

    def defer_inline(self, element: str) -> str:
        """A word that stands for the inline HTML `element` (a code element the escapes
        wrote, `<code>…</code>`) in a page's Markdown until the page is converted, where
        `sanitize` puts it back, sanitized on its own.

        Python-Markdown stashes each inline HTML element and writes it back after a pass of
        every inline pattern: about 57 µs for each `<code>` (15 on a plan page, 0.86 ms of its
        9.6 ms), for HTML it only copies. A word costs it nothing."""
        token = self._inline_prefix + hashlib.blake2b(element.encode(), digest_size=12).hexdigest()
        self._deferred[token] = element
        return token

    def reuse_cells(self, page: str, markdown: str) -> str:
        """`markdown` (the page `page`'s, as the plugin made it) without the cell paragraphs
        converted at the last build into the same HTML: `put_back` fills their slots with
        that HTML. Only with `converted` (`mkdocs serve --dirty`); see `ConvertedCells`."""
        converted = self.converted
        if converted is None:
            return markdown
        lists = [
            (token, cells)
            for token in dict.fromkeys(found[1] for found in self._block.finditer(markdown))
            if (cells := self._cells.get(token))
        ]
        if not lists:
            return markdown
        if any("\n" in cell or "[^" in cell for _, cells in lists for cell in cells):
            # A cell of several lines may define a link, a footnote or an abbreviation the
            # others use, and footnotes are numbered across the page: convert them all.
            converted.forget(page)
            return markdown
        reduced = markdown
        replacements: list[tuple[str, str]] = []
        for token, cells in lists:
            whole = _with_cells(token, cells)
            if whole in reduced:
                reduced = reduced.replace(whole, "\0cells\0", 1)
                replacements.append((token, whole))
        known = converted.for_page(page, reduced)
        for token, whole in replacements:
            cells = self._cells[token]
            left = [cell if cell not in known else "" for cell in cells]
            for number, cell in enumerate(cells):
                if cell in known:
                    converted.reused[token, number] = known[cell]
                    converted.remember(page, cell, known[cell])
            markdown = markdown.replace(whole, _with_cells(token, left), 1)
        return markdown

    def _sanitized_block(self, token: str) -> str | None:
        """The block `token` stands for, sanitized on its own the first time it is put back.
        A block is balanced HTML of its own, so alone it comes out as it would in its page,
        whose sanitizing then skips it: its inline styles (a timeline's bars) cost the
        sanitizer more in a whole page than alone (0.26 ms a page against 0.08). Blocks
        never put back (Zensical builds the pages `pages` wrote) are never sanitized."""
        block = self._deferred.get(token)
        if block is None:
            return None
        clean = self._clean.get(token)
        if clean is None:
            clean = self._clean[token] = sanitize_html(block)
        return clean

    def sanitized_blocks(self, markdown: str) -> dict[str, str]:
        """The blocks whose words `markdown` holds, each sanitized as `put_back` would: made by
        the process that renders pages ahead of the build (`accept_sanitized` takes them in
        the build), so the build's own process does not sanitize them when it needs its time
        for the pages."""
        words = {found[1] for found in self._block.finditer(markdown)}
        if self._inline_prefix in markdown:
            words.update(found[0] for found in self._inline_word.finditer(markdown))
        return {
            token: clean for token in words if (clean := self._sanitized_block(token)) is not None
        }

    def accept_sanitized(self, blocks: dict[str, str]) -> None:
        """Take blocks `sanitized_blocks` made in a process forked from this one (it holds the
        same blocks and key). Only the words of blocks deferred here are taken, and those of
        inline elements (the process defers them as it renders its pages)."""
        for token, clean in blocks.items():
            if token in self._deferred:
                self._clean.setdefault(token, clean)
            elif token.startswith(self._inline_prefix):
                self._deferred.setdefault(token, clean)
                self._clean.setdefault(token, clean)

    def sanitized_page(self, html: str, page: str) -> str:
        """What `sanitize(html, whole=True, page=page)` returns for the plan page `page`: its
        HTML sanitized, its blocks put back. Made by the process that renders plan pages
        ahead of the build, which converts each page as the engine will (`expect` takes the
        result in the build)."""
        unmarked = self._unmarked(html)
        return self.put_back(sanitize_html(unmarked), page)

    def expect(self, page: str, html: str, done: str) -> None:
        """The plan page `page` is expected to convert to `html`, which `sanitized_page`
        made `done`: when the engine hands over exactly that HTML, `done` is the page.
        Proving a plan page's HTML clean was most of the build's own time in
        `on_page_content` (0.4 of 0.6 ms a page), and putting its blocks back most of the
        rest (0.1 ms); another process has done both, while the build was converting the
        pages before. Any other HTML (another plugin changed the page's Markdown, say) is
        sanitized here as ever."""
        self._expected[page] = (html, done)

    def _unmarked(self, html: str) -> str:
        return html.replace(self._open, "").replace(self._close, "")

    def put_back(self, html: str, page: str | None = None) -> str:
        """`html` (or a page's Markdown) with each deferred block, sanitized, in place of its
        word, and each of its cells (converted paragraphs) moved into its slot; the cells of
        page `page` are remembered for the next build with `converted`."""
        if self._inline_prefix in html:
            html = self._inline_word.sub(self._inline_element, html)
        if self._block_prefix not in html:
            return html
        parts: list[str | tuple[str]] = []
        """Text, and the words of blocks, whose cells may come after them."""
        cells: dict[tuple[str, int], str] = {}
        position = 0
        for found in self._block.finditer(html):
            start, end = found.span()
            token, cell = found[1], found[2]
            if token not in self._deferred:  # a word of the same shape the build did not make
                continue
            if cell is not None:
                # A cell: `<p>word content</p>`, its content goes into the block's slot.
                close = html.find("</p>", end)
                if not html.startswith("<p>", start - 3) or close == -1:
                    parts.append(html[position:start])  # the text stays where it is
                    position = end
                    continue
                number = int(cell)
                cells[token, number] = html[end:close].removeprefix(" ")
                cell_markdown = self._cells.get(token, ())
                if self.converted is not None and page is not None and number < len(cell_markdown):
                    self.converted.remember(page, cell_markdown[number], cells[token, number])
                parts.append(html[position : start - 3])
                position = close + 4
                position += html.startswith("\n", position)
                continue
            # The word stood as a paragraph of its own: the block takes the paragraph's place.
            if html.startswith("<p>", start - 3) and html.startswith("</p>", end):
                start, end = start - 3, end + 4
            parts += (html[position:start], (token,))
            position = end
        parts.append(html[position:])
        return "".join(
            part if isinstance(part, str) else self._filled(part[0], cells) for part in parts
        )

    def _inline_element(self, word: re.Match[str]) -> str:
        # A word of the same shape the build did not make stays as it is.
        return self._sanitized_block(word[0]) or word[0]

    def _filled(self, token: str, cells: dict[tuple[str, int], str]) -> str:
        block = self._sanitized_block(token) or ""
        if _SLOT_PREFIX not in block:
            return block
        reused = self.converted.reused if self.converted is not None else {}

        def cell(slot: re.Match[str]) -> str:
            key = (token, int(slot[1]))
            return cells.get(key) or reused.get(key, "")

        return _SLOT.sub(cell, block)

    def wrap(self, markdown: str) -> str:
        """`markdown` as a block of its own between the two marks (blank lines around, so the
        marks stay HTML blocks and the Markdown between them stays Markdown)."""
        return f"\n\n{self._open}\n\n{markdown}\n\n{self._close}\n\n"

    def sanitize(self, html: str, *, whole: bool = False, page: str | None = None) -> str:
        """The page's HTML with every marked region sanitized and the marks removed; with
        `whole` (a plan's own page, plan data from top to bottom), all of it: Python-Markdown
        moves footnotes to the end of the page, after the region that held their text.

        Regions are matched as nested pairs: a region the plugin opened inside another (a
        listing in a page that is plan data as a whole) never ends the outer one, so the
        outer region is sanitized to its own end. A region left open (its end swallowed by
        something) is sanitized to the end of the page.

        Deferred blocks (`defer`) are put back last, wherever their word is (in a marked
        region or not), each sanitized on its own (`_sanitized_block`); `page` is the page's
        `src_uri`, whose cells `converted` remembers."""
        if _MARKUP_OR_CHANGED.search(html) is None and "techplan" not in html:
            # Plain text (under Zensical, `toc` runs this for every heading's text): no mark,
            # no word, nothing a sanitizer would change.
            return html
        if whole:
            expected = self._expected.pop(page, None) if page is not None else None
            if expected is not None and expected[0] == html:  # the HTML proven ahead
                return expected[1]
            return self.put_back(sanitize_html(self._unmarked(html)), page)
        if self._open not in html:
            return self.put_back(html, page)
        parts: list[str] = []
        position = 0
        while (start := html.find(self._open, position)) != -1:
            parts.append(html[position:start])
            start += len(self._open)
            stop, position = self._region_end(html, start)
            inner = html[start:stop].replace(self._open, "").replace(self._close, "")
            parts.append(sanitize_html(inner))
        parts.append(html[position:])
        return self.put_back("".join(parts), page)

    def _region_end(self, html: str, start: int) -> tuple[int, int]:
        """Where the region opened before `start` ends, and where the page goes on after
        its closing mark."""
        depth, cursor = 1, start
        while True:
            close = html.find(self._close, cursor)
            if close == -1:
                return len(html), len(html)
            opened = html.find(self._open, cursor, close)
            if opened != -1:
                depth, cursor = depth + 1, opened + len(self._open)
                continue
            depth -= 1
            if depth == 0:
                return close, close + len(self._close)
            cursor = close + len(self._close)


def _with_cells(token: str, cells: Sequence[str]) -> str:
    """A deferred block's word, then a paragraph for each cell that is not empty."""
    paragraphs = [f"{token}x{number} {cell}" for number, cell in enumerate(cells) if cell.strip()]
    return "\n\n".join([token, *paragraphs])


class ConvertedCells:
    """Under `mkdocs serve --dirty`, the listings' cells each page converted at the last
    build, so that a rebuild converts only the cells that changed.

    After an edit to one plan, the index of 1,000 plans is rebuilt: its 2,000 cells (each
    plan's link and summary) were half a second of Python-Markdown, for one row that
    changed. A cell's HTML depends on its Markdown, on the page (its other Markdown: link
    references, abbreviations) and on the site (the pages a link may point to, the
    extensions): a page's cells are forgotten when the page's Markdown around them changes,
    and every page's when `site` changes. What other plugins do to a page's Markdown after
    this plugin is taken as it was, as MkDocs' `--dirty` takes the pages it does not rebuild.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, dict[str, str]]] = {}
        """`src_uri` → (digest of the page's Markdown around its cells, cell → its HTML)."""
        self._site: object = None
        self.reused: dict[tuple[str, int], str] = {}
        """The page being built: (block word, cell number) → the cell's HTML, for
        `put_back`."""

    def site(self, signature: object) -> None:
        """What every page's cells depend on, for this build (its pages, its extensions)."""
        if signature != self._site:
            self._pages.clear()
        self._site = signature

    def for_page(self, page: str, around: str) -> dict[str, str]:
        """The cells of `page` converted before, when the page's Markdown `around` them has
        not changed."""
        self.reused = {}
        digest = hashlib.blake2b(around.encode(), digest_size=16).digest()
        previous = self._pages.get(page)
        self._pages[page] = (digest, {})  # this build's cells, as `remember` is told them
        return previous[1] if previous is not None and previous[0] == digest else {}

    def forget(self, page: str) -> None:
        self._pages.pop(page, None)
        self.reused = {}

    def remember(self, page: str, cell: str, html: str) -> None:
        known = self._pages.get(page)
        if known is not None:
            known[1][cell] = html


@cache
def _cleaner() -> nh3.Cleaner:
    """The allowlist, handed to ammonia once (building it took a fifth of each call).

    ammonia is loaded only when a fragment needs it: the quick check (`allowlist.py`) proves
    most pages clean without it, and its library is 1.5 MiB of a build's memory."""
    import nh3

    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes=GENERIC_ATTRIBUTE_PREFIXES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
        link_rel=None,
    )


# The only characters the cleaner changes in text without markup (every code point was tried):
# text that has none of them, and no math command, comes out as it went in.
_MARKUP_OR_CHANGED = re.compile("[<>&\\\\\x00\r\xa0]")


def sanitize_html(fragment: str) -> str:
    """`fragment` with only allowlisted tags, attributes and URLs, and safe math links."""
    # Python-Markdown's `toc` runs every postprocessor over each heading's text, so under
    # Zensical this is called for every heading of a plan page: 13,000 times in a build of
    # 300 plans, nearly all for plain words.
    if _MARKUP_OR_CHANGED.search(fragment) is None:
        return fragment
    # Markdown's own output is nearly always already clean: proving it costs a seventh of
    # ammonia's parse and rewrite (`allowlist.py`).
    return ids_and_math_made_safe(fragment if kept_as_is(fragment) else _cleaned(fragment))


def _cleaned(fragment: str) -> str:
    """`fragment` through ammonia, less the theme's own attributes: ammonia keeps every
    `data-` attribute, and the quick path keeps none of these."""
    cleaned = _cleaner().clean(fragment)
    if THEME_ATTRIBUTE_PREFIX not in cleaned:
        return cleaned
    return _OPENING_TAG.sub(_without_theme_attributes, cleaned)


def ids_and_math_made_safe(cleaned: str) -> str:
    """Sanitized HTML `cleaned` with reserved ids renamed and math links made safe: what
    the allowlist cannot say."""
    # An id a theme's script looks up (`__config`), made by plan text. Every such attribute
    # starts its value with `__` or `#__`; the plugin's own class names hold `__` elsewhere.
    if '="__' in cleaned or '="#__' in cleaned:
        cleaned = _RESERVED_ID.sub(r"\1techplan-__", cleaned)
    return _MATH_LINK.sub(_math_link, cleaned) if "\\" in cleaned else cleaned


# Material (and other themes) find their own elements by ids starting with `__` (`__config`,
# `__search`, `__drawer`). An id plan text makes (a heading `## __config`) is renamed, and
# the page's own links to it with it, so the theme never reads plan data as its own.
_RESERVED_ID = re.compile(r'((?:\bid|\bfor|\bhref)="#?)__')
# Ammonia writes every attribute it keeps as ` name="value"`, with `"` in the value escaped
# (`>` is not): a tag is matched whole, and its text around it is left as it is.
_OPENING_TAG = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"=/>]+(?:="[^"]*")?)*\s*/?>')
_ATTRIBUTE_IN_TAG = re.compile(r'\s+([^\s"=/>]+)(?:="[^"]*")?')


def _without_theme_attributes(tag: re.Match[str]) -> str:
    # Attribute after attribute, each value whole: text inside a value is never read as one.
    return _ATTRIBUTE_IN_TAG.sub(
        lambda found: "" if found[1].startswith(THEME_ATTRIBUTE_PREFIX) else found[0], tag[0]
    )


def _math_link(match: re.Match[str]) -> str:
    # Browsers and MathJax ignore white space and control characters inside a scheme.
    url = "".join(char for char in match[1] if char.isprintable() and not char.isspace())
    scheme = SCHEME.match(url)
    if scheme is None or scheme[1].casefold() in URL_SCHEMES:
        return match[0]
    # `\href{bad}{text}` keeps its text; `\url{bad}` shows nothing a browser could follow.
    return "\\text{}"
