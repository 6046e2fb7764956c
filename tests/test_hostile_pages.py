"""Real builds of plans written to attack the published site: nothing they hold runs.

Every text field of a full plan carries script, event handlers, a frame, an attribute list and
a `javascript:` link, each marked with the field's name. Both themes must show all of it as
text: in the content, in the title, in the navigation and in the page's metadata.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml
from conftest import SiteBuilder
from markdown_sets import unsafe_markup, words
from test_text_properties import BLOCK, CODE, INLINE, NEUTRAL, PLAIN, SHAPE, TAG, _fill

ATTACK = (
    "<script>alert('{0}')</script><img src=x onerror=alert('{0}')>"
    "<iframe src=javascript:alert('{0}')></iframe> {{: onclick=alert('{0}') }}"
)


def _attacks(shape: Any, path: str = "") -> Any:
    """The plan with each text field holding the attack, marked with the field's path."""
    if isinstance(shape, dict):
        return {key: _attacks(value, f"{path}.{key}".lstrip(".")) for key, value in shape.items()}
    if isinstance(shape, list):
        return [_attacks(value, f"{path}[{index}]") for index, value in enumerate(shape)]
    if shape in (PLAIN, INLINE, BLOCK, TAG):
        return ATTACK.format(path)
    if shape == CODE:
        return ATTACK.format(path) + "\n</code></pre><script>alert(1)</script>"
    return shape


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_markup_in_every_field_is_shown_as_text(site: SiteBuilder, theme: str) -> None:
    data = _attacks(SHAPE)
    site.write_plan("plans/attack/plan.yaml", yaml.safe_dump(data, allow_unicode=True))
    site.write_plan("plans/calm/plan.yaml", yaml.safe_dump(_fill(SHAPE, NEUTRAL.get)))
    plugins = ["search", "techplan"] + (["tags"] if theme == "material" else [])
    result = site.build(strict=False, theme=theme, plugins=plugins)
    assert not result.failed
    attacked, calm = result.html("plans/attack/index.html"), result.html("plans/calm/index.html")

    # The theme's own scripts and forms are on both pages; the plan adds none. (`<link>`s to
    # the previous and next pages differ with the page's place in the navigation.)
    def theirs(page: Any) -> Counter[str]:
        return Counter(found for found in unsafe_markup(page) if found != "element <link>")

    assert theirs(attacked) == theirs(calm)
    for page in (attacked, result.html("index.html"), result.html("plans/index.html")):
        assert not [s for s in page.find_all("script") if "alert" in s.get_text()]
        assert not page.find_all(attrs={"onerror": True}) and not page.find_all("iframe")
    text = words(result.content("plans/attack/index.html").get_text())
    for field in (
        "title",
        "version",
        "author[0]",
        "summary",
        "components[0].name",
        "components[0].purpose",
        "api.endpoints[1].path",
        "risks[1].mitigation",
        "revisions[0].changes",
        "architecture.diagram",
        "phases[0].duration",
    ):
        assert words(ATTACK.format(field)) in text, field
    title = f"Technical Plan: {ATTACK.format('title')}"
    assert words(attacked.title.get_text()).startswith(words(title))
    nav_titles = [words(a.get_text()) for a in result.html("index.html").find_all("a")]
    assert words(title) in nav_titles
    if theme == "material":
        description = attacked.find("meta", attrs={"name": "description"})
        assert description["content"].startswith("<script>alert('summary')</script>")
        tags = [words(tag.get_text()) for tag in attacked.select(".md-tag")]
        assert tags == [words(ATTACK.format("tags[0]"))]


def test_unsafe_links_warn_with_file_line_column_and_key_path(site: SiteBuilder) -> None:
    site.write(
        "plans/links/plan.yaml",
        """\
        title: Links
        status: Draft
        summary: |
          Read [the docs](https://example.com) and [this](javascript:alert(1)).
        risks:
          - risk: Phishing
            mitigation: 'Never open [attachments](data:text/html,x)'
        architecture:
          overview: |
            A paragraph.

            [ref]: vbscript:msgbox(1)
        """,
    )
    strict = site.build()
    assert strict.failed
    assert strict.techplan_warnings == [
        "docs/plans/links/plan.yaml:3:10: `summary` links to `javascript:alert(1)`: only "
        "http(s), mailto and relative links are allowed, so it is shown as text; link to an "
        "https:// URL or a page path instead",
        "docs/plans/links/plan.yaml:7:17: `risks[0].mitigation` links to `data:text/html,x`: "
        "only http(s), mailto and relative links are allowed, so it is shown as text; link to "
        "an https:// URL or a page path instead",
        "docs/plans/links/plan.yaml:9:13: `architecture.overview` links to `vbscript:msgbox(1)`: "
        "only http(s), mailto and relative links are allowed, so it is shown as text; link to "
        "an https:// URL or a page path instead",
    ]
    page = site.build(strict=False).content("plans/links/index.html")
    hrefs = [a["href"] for a in page.find_all("a") if not a["href"].startswith("#")]
    assert hrefs == ["https://example.com"]
    assert "[this](javascript:alert(1))" in words(page.get_text())
    box = page.select_one(".techplan-problems")
    assert box is not None and len(box.select("li")) == 3


def test_link_syntax_in_code_and_plain_fields_is_not_reported(site: SiteBuilder) -> None:
    site.write(
        "plans/code/plan.yaml",
        """\
        title: "[x](javascript:alert(1))"
        status: Draft
        summary: "Write `[x](javascript:y)` to see the warning."
        architecture:
          diagram: "arr[0](javascript:x)"
        components:
          - name: "`[c](data:x)`"
            interfaces: "f[1](vbscript:y)"
        """,
    )
    result = site.build()
    assert not result.failed, result.messages


def test_allow_html_passes_raw_html_in_markdown_fields_only(site: SiteBuilder) -> None:
    site.write(
        "plans/html/plan.yaml",
        """\
        title: <kbd>Title</kbd>
        status: Draft
        summary: Press <kbd>Ctrl</kbd>, see [docs](javascript:alert(1)).
        """,
    )
    off = site.build(strict=False).content("plans/html/index.html")
    assert off.find("kbd") is None
    assert "Press <kbd>Ctrl</kbd>" in off.get_text()
    on = site.build(strict=False, plugin_options={"allow_html": True})
    page = on.content("plans/html/index.html")
    assert [kbd.get_text() for kbd in page.find_all("kbd")] == ["Ctrl"]  # not the title
    assert "<kbd>Title</kbd>" in page.h1.get_text()
    assert not [a for a in page.find_all("a") if "javascript" in a.get("href", "")]
    assert on.techplan_warnings[0].endswith(
        "`summary` links to `javascript:alert(1)`: only http(s), mailto and relative links are "
        "allowed, so it is shown as text; link to an https:// URL or a page path instead"
    )


def test_snippet_includes_in_code_fields_read_no_file(site: SiteBuilder) -> None:
    site.write("secret.txt", "SECRET-TOKEN-42\n")
    site.write(
        "plans/snip/plan.yaml",
        """\
        title: Snippets
        status: Draft
        architecture:
          diagram: |
            --8<-- "docs/secret.txt"
          overview: |
            ```
            --8<-- "docs/secret.txt"
            ```
        """,
    )
    extensions = ["pymdownx.superfences", "pymdownx.snippets"]
    result = site.build(strict=False, markdown_extensions=extensions)
    page = result.content("plans/snip/index.html")
    assert "SECRET-TOKEN-42" not in page.get_text()
    shown = [pre.get_text().strip() for pre in page.find_all("pre")]
    assert shown == ['--8<-- "docs/secret.txt"'] * 2


def test_references_cannot_break_out_of_their_link(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Auth\n\n## Tokens\n")
    site.write(
        "plans/refs/plan.yaml",
        """\
        title: References
        status: Draft
        specification:
          - "https://example.com/x) <img src=x onerror=alert(1)>\\n\\n# Heading"
          - "../../specs/auth.md#tokens) <script>alert(1)</script>"
        """,
    )
    result = site.build(strict=False)
    page = result.content("plans/refs/index.html")
    assert unsafe_markup(page) == []
    assert [h.get_text(strip=True).rstrip("¶") for h in page.find_all(["h1", "h2"])] == [
        "Technical Plan: References"
    ]
