"""The plan file a rendered page came from, carried at the end of the page, so that `import`
gives back exactly that file (`import(render(plan)) == plan`, comments and all).

A page shows a plan; it cannot say everything a plan file says. A table cell holds one line
where a mitigation had several, the site's Markdown has no fence inside a list item, a
status the page names may not be one the importer knows. So `render` ends the page with an
HTML comment (which no reader sees) holding the plan file's text and a digest of the page
above it. `import` takes the file back only while the page is unchanged; once an author has
edited the page, the page is what they mean, and it is read as Markdown.
"""

from __future__ import annotations

import hashlib
import re

_OPENING = "<!-- techplan:source sha256="
_CLOSING = "\n-->\n"
# In an HTML comment no `--` may appear: each `-` followed by another is written as a
# character reference, and `&` as `&amp;` so that the text reads back as it was.
_DOUBLE_HYPHEN = re.compile(r"-(?=-)")


def with_source(page: str, source: str) -> str:
    """`page`, then a comment carrying `source` (the plan file's text) and the page's digest."""
    page = page if page.endswith("\n") else page + "\n"
    escaped = _DOUBLE_HYPHEN.sub("&#45;", source.replace("&", "&amp;"))
    return f"{page}\n{_OPENING}{_digest(page)}\n{escaped}{_CLOSING}"


def split_source(markdown: str) -> tuple[str, str | None]:
    """The page without the carried comment, and the file it carries: None when there is none,
    or when the page was changed after `render` wrote it (its digest no longer matches)."""
    text = markdown.replace("\r\n", "\n")
    start = text.rfind("\n" + _OPENING)
    if start == -1 or not text.rstrip("\n").endswith(_CLOSING.rstrip("\n")):
        return markdown, None
    page = text[:start]  # `with_source` ended it with its line break, then a blank line
    header_end = text.find("\n", start + 1)
    digest = text[start + 1 + len(_OPENING) : header_end]
    body = text[header_end + 1 : text.rstrip("\n").rfind(_CLOSING.rstrip("\n"))]
    if digest != _digest(page):
        return page, None
    return page, body.replace("&#45;", "-").replace("&amp;", "&")


def _digest(page: str) -> str:
    # Line ends and a missing last line break are an editor's, not an author's change.
    return hashlib.sha256(page.replace("\r\n", "\n").rstrip("\n").encode("utf-8")).hexdigest()
