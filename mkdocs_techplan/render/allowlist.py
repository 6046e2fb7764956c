"""The HTML a page may hold from plan data, and a quick proof that a fragment holds only that.

The sanitizer (`safety.sanitize_html`, ammonia through `nh3`) parses a fragment and writes it
out again. A plan page is about 10 KB of Markdown's own output, and that round trip cost
0.75 ms a page inside a build: a third of the plugin's time. Nearly every such page is
already clean: each tag is on the allowlist, with allowlisted attributes and safe URLs, and
nested so that a browser builds exactly the tree the tags spell. `kept_as_is` checks that
in one pass over the tags (0.1 ms a page) and says yes only then; anything else, however
harmless, still goes through ammonia. A "yes" means ammonia would give the same document
tree (tests/test_allowlist.py checks that against a spec-conforming parser, on real pages
and on generated fragments), so the fragment can be used as it is.
"""

from __future__ import annotations

import re

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p",
    "text", "title",
    "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    # inline SVG: emoji and icons (pymdownx.emoji, Material)
    "svg", "path", "g", "circle", "rect", "line", "polyline", "polygon", "ellipse",
}  # fmt: skip
GENERIC_ATTRIBUTES = {"class", "id", "title", "role", "lang", "dir", "style", "aria-label"}
GENERIC_ATTRIBUTE_PREFIXES = {"data-", "aria-"}
_PREFIXES = tuple(GENERIC_ATTRIBUTE_PREFIXES)
THEME_ATTRIBUTE_PREFIX = "data-md-"
"""Attributes Material's and Zensical's scripts find their own elements by
(`data-md-component="search"`, `data-md-toggle`): dropped from plan HTML, which must never
pass for part of the theme, as ids that start with `__` are renamed."""
ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "name", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked", "disabled"},
    "label": {"for"},
    "td": {"colspan", "rowspan", "align", "scope"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "abbr": {"title"},
    "svg": {"viewBox", "xmlns", "width", "height", "fill", "aria-hidden", "aria-label"},
    # The relation graphs (`render/graph.py`): labels, and a tooltip per node.
    "text": {"x", "y", "text-anchor"},
    "title": set(),
    "path": {"d", "fill", "fill-rule", "clip-rule"},
    "g": {"fill"},
    "circle": {"cx", "cy", "r", "fill"},
    "rect": {"x", "y", "width", "height", "rx", "ry", "fill"},
    "line": {"x1", "y1", "x2", "y2"},
    "polyline": {"points"},
    "polygon": {"points"},
    "ellipse": {"cx", "cy", "rx", "ry"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Only layout properties: a style attribute cannot load anything (no url(), no expressions).
STYLE_PROPERTIES = {
    "margin-left", "width", "text-align",
    # Where each plan sits in a relations graph (`render/graph.py`).
    "grid-column", "grid-row", "grid-template-columns", "grid-template-rows", "height",
}  # fmt: skip
CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "form", "noscript", "template"}

# What `kept_as_is` accepts is narrower than the allowlist: only shapes whose parse every
# browser agrees on, written the way Markdown and the templates write them.

_VOID = {"br", "hr", "img", "input", "col", "wbr"}
_SVG = {"svg", "path", "g", "circle", "rect", "line", "polyline", "polygon", "ellipse", "text"}
"""SVG's own elements (`title` is SVG's only inside an `svg`). Outside an `svg` a browser
reads them as unknown HTML elements, and inside one an HTML tag (`<p>`, `<b>`) ends the
`svg`: each is accepted only on its own side."""
_SVG_ONLY = (_SVG | {"title"}) - {"svg"}
_PHRASING = {
    "a", "abbr", "b", "br", "code", "del", "dfn", "em", "i", "img", "input", "ins", "kbd",
    "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr", "svg",
}  # fmt: skip
"""What a paragraph, a heading or an inline element may hold: a block tag inside a `<p>`
closes it in the browser, and the tree is no longer what the tags spell."""
_PHRASING_ONLY = (_PHRASING - {"svg"}) | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "summary"}
_PARENTS = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "tr": {"thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup"},
    "summary": {"details"},
    "figcaption": {"figure"},
}
"""Elements a browser would move, close or wrap (a `<tr>` gets a `<tbody>`, a second `<li>`
closes the first) unless their parent is one of these."""
_CHILDREN = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot"},
    "thead": {"tr"},
    "tbody": {"tr"},
    "tfoot": {"tr"},
    "tr": {"td", "th"},
    "colgroup": {"col"},
    "ul": {"li"},
    "ol": {"li"},
    "dl": {"dt", "dd", "div"},
}

_TAG = re.compile(r'(/?)([a-z][a-z0-9]*)((?: [a-zA-Z][a-zA-Z0-9:-]*(?:="[^"]*")?)*) ?(/?)')
"""A tag between its `<` and `>`, as Markdown and the templates write it."""
_ATTRIBUTE = re.compile(r' ([a-zA-Z][a-zA-Z0-9:-]*)(?:="([^"]*)")?')
_URL = re.compile(r"(?:https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?|mailto:[!-~]+)")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
"""A URL's scheme, where it has one (`javascript:`); a relative URL has none."""
_DECODED_BY_AMMONIA = re.compile("&(?!amp;|lt;|gt;|nbsp;)")
"""A character reference ammonia's output does not keep as it is."""
_BACKSLASH_REFERENCE = re.compile("&(?:#0*92|#[xX]0*5[cC]|bsol)")
_STYLE_VALUE = re.compile(r"[-a-zA-Z0-9.%# ,()]+")
_HIGHLIGHTED_CODE = re.compile(
    r'<code>(?:[^<]+|<span class="[a-zA-Z0-9 _-]*">[^<]*</span>)*</code>'
)
"""A `<code>` holding only text and flat spans with classes (what Pygments writes)."""
_TEXT_IN_TABLE = re.compile(
    r"(?:<(?:table|thead|tbody|tfoot|tr|colgroup|col)(?: [^<>]*)?>"
    r"|</(?:caption|colgroup|thead|tbody|tfoot|tr|td|th)>)[ \t\n\r\f]*[^ \t\n\r\f<]"
)
"""Text (not white space) right inside a table's own elements, which a browser moves out."""

_LINK = "@"
"""Marks the context of an element inside a link (`a@`, `span@`): a link there would close
the first one in a browser."""
_Vetted = tuple[frozenset[str] | None, str, bool, dict[str, str]]
"""A tag text accepted: the contexts its closing tag may end (None for an opening tag), its
element, whether it is void, and where its element goes (`_places`)."""
_vetted: dict[str, _Vetted] = {}
"""Each tag text accepted (between `<` and `>`). Tags repeat across pages (`p`, `li`,
`/code`), so nearly all are looked up, not parsed."""
_VETTED_MAX = 50_000
_VETTED_LENGTH = 120
_places: dict[str, dict[str, str]] = {}
"""Element → its parent's context → the element's own context, where a browser puts it, or
"" where it would not put it there. One per element, shared by all its tag texts."""


def kept_as_is(fragment: str) -> bool:
    """Whether `fragment` may be used as it is: ammonia, with this allowlist, would give back
    the same document tree, and the checks made after it (reserved ids, math links) read the
    same text. False says only "not proven": the fragment then goes through ammonia."""
    if "\x00" in fragment:
        return False
    if _math_in_references(fragment):
        return False
    if "<t" in fragment and _TEXT_IN_TABLE.search(fragment):
        return False
    if '<span class="' in fragment:
        # Highlighted code is mostly tags: a span per token, 40 % of a plan page's tags.
        # Flat spans of plain classes are kept by a browser wherever a `<code>` is, so each
        # such `<code>` is proven in one pass of the expression and its content skipped.
        fragment = _HIGHLIGHTED_CODE.sub("<code></code>", fragment)
    # This loop runs for each of the 600,000 tags of a build of 1,000 plans: the current
    # context is a local (`top`), the stack holds the ones around it, and each element's
    # placements are looked up by the context alone (no key tuple made per tag).
    vetted = _vetted
    stack: list[str] = []
    top = ""
    pieces = iter(fragment.split("<"))
    next(pieces)  # the text before the first tag
    for piece in pieces:
        text, ends, _ = piece.partition(">")
        if not ends:
            return False  # a `<` that does not start a whole tag
        tag = vetted.get(text) or _vet(text)
        if tag is None:
            return False
        closes, name, void, places = tag
        if closes is not None:
            if top not in closes:  # at the top (""), nothing is open: no element closes
                return False
            top = stack.pop()
            continue
        context = places.get(top)
        if context is None:
            context = places[top] = _context(name, top) or ""
        if not context:
            return False
        if not void:
            stack.append(top)
            top = context
    return not stack


def _math_in_references(fragment: str) -> bool:
    """Whether math links may hide in character references: `\\href{javascript&#58;x}` (or
    `&#92;href…`). Ammonia writes the characters out and the math link check reads them;
    here they would stay references until the browser decodes them (and MathJax reads the
    link)."""
    backslash = "\\" in fragment or _BACKSLASH_REFERENCE.search(fragment) is not None
    return backslash and _DECODED_BY_AMMONIA.search(fragment) is not None


def _context(name: str, parent_context: str) -> str | None:
    """The context element `name` opens inside `parent_context`, or None where a browser
    would not put it there: the tree would not be what the tags spell."""
    in_link = parent_context.endswith(_LINK)
    parent = parent_context.removesuffix(_LINK)
    if name == "a" and in_link:
        return None
    in_svg = parent in _SVG_ONLY or parent == "svg"
    if (name in _SVG_ONLY) != in_svg and name != "svg":
        return None
    if in_svg and name == "svg":
        return None
    parents = _PARENTS.get(name)
    if parents is not None and parent not in parents:
        return None
    children = _CHILDREN.get(parent)
    if children is not None and name not in children:
        return None
    if parent in _PHRASING_ONLY and name not in _PHRASING:
        return None
    return name + _LINK if in_link or name == "a" else name


def _vet(text: str) -> _Vetted | None:
    """The tag `text` as `_vetted` holds it."""
    parsed = _parsed(text)
    if parsed is None:
        return None
    name, closes, void = parsed
    tag = (closes, name, void, _places.setdefault(name, {}))
    # Long tags (a link's URL) seldom repeat: kept, they would hold a page's text each.
    if len(text) <= _VETTED_LENGTH:
        if len(_vetted) >= _VETTED_MAX:
            _vetted.clear()
        _vetted[text] = tag
    return tag


def _parsed(text: str) -> tuple[str, frozenset[str] | None, bool] | None:
    shape = _TAG.fullmatch(text)
    if shape is None or shape[2] not in TAGS:
        return None
    closing, name, attributes, self_closing = shape[1] == "/", shape[2], shape[3], shape[4]
    if closing:
        if attributes or self_closing or name in _VOID:
            return None
        return name, frozenset({name, name + _LINK}), False
    # Only SVG's own elements close themselves; `<span/>` stays open in HTML.
    if self_closing and name not in _VOID and name not in _SVG_ONLY:
        return None
    allowed = ATTRIBUTES.get(name, set())
    seen: set[str] = set()
    for attribute in _ATTRIBUTE.finditer(attributes):
        key, value = attribute[1], attribute[2]
        if key in seen:
            return None  # the first wins in a browser; ammonia may not say the same
        seen.add(key)
        if not (
            key in allowed
            or key in GENERIC_ATTRIBUTES
            or (
                key.startswith(_PREFIXES)
                and key.islower()
                and not key.startswith(THEME_ATTRIBUTE_PREFIX)
            )
        ):
            return None
        if value is not None and not _value_kept(name, key, value):
            return None
    return name, None, name in _VOID or bool(self_closing)


def _value_kept(name: str, key: str, value: str) -> bool:
    if "&" in value.replace("&amp;", ""):
        # `id="&#95;_config"`: ammonia decodes it, and the reserved id check reads it so.
        return False
    if key == "style":
        return _style_kept(value)
    if (name, key) not in (("a", "href"), ("img", "src")):
        return True
    # A URL. Character references other than `&amp;` (`java&#x09;script:`), white space
    # and controls are left to ammonia, which reads them as a browser does.
    plain = value.replace("&amp;", "&")
    if any(char <= " " or char == "\x7f" for char in plain):
        return False
    if SCHEME.match(plain) is None:
        return True  # relative: a path, a query or a fragment (`#fn:1`)
    return _URL.fullmatch(plain) is not None


def _style_kept(value: str) -> bool:
    """Declarations of allowed properties with plain values only (`text-align: left;`, as
    Markdown's tables write it; `repeat(2, 180px)`, as the relation graphs do): anything else
    is ammonia's to filter."""
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        prop, colon, rule = declaration.partition(":")
        if not colon or prop.strip() not in STYLE_PROPERTIES:
            return False
        if _STYLE_VALUE.fullmatch(rule.strip()) is None:
            return False
    return True
