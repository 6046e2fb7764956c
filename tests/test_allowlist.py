"""The sanitizer's quick path (`render/allowlist.py`): HTML used as it is only when ammonia
would give back the same document tree.

The oracle is a spec-conforming HTML parser (html5lib, the algorithm browsers follow): for
every fragment the quick path accepts, the tree a browser builds from it is the tree it
builds from ammonia's output. It is checked on every fragment real documents give in a real
build, and on thousands of generated fragments, nested well and badly, with allowed and
forbidden tags, attributes and URLs.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
from conftest import SiteBuilder

from mkdocs_techplan.render import safety
from mkdocs_techplan.render.allowlist import ATTRIBUTES, TAGS, kept_as_is
from mkdocs_techplan.render.safety import _cleaner, ids_and_math_made_safe, sanitize_html

REALWORLD = Path(__file__).resolve().parent / "realworld"


def tree(fragment: str) -> Any:
    """The document tree a browser builds from a page holding `fragment` between a theme's
    own elements, as a sanitized region sits in a page: elements with their attributes (style
    declarations as a set: ammonia drops their spaces) and text. A fragment that closes an
    element it did not open, or leaves one open, moves the theme's paragraph after it."""
    page = (
        '<!DOCTYPE html><html><body><div class="md-container"><article class="md-content">'
        f'<p class="before">theme</p>{fragment}<p class="after">theme</p></article>'
        '<footer class="md-footer">theme</footer></div></body></html>'
    )
    root = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    return _node(root)


def _node(element: Any) -> Any:
    if not isinstance(element.tag, str):  # a comment
        return ("comment", element.text)
    attributes = sorted(
        (name, _style(value) if name == "style" else value)
        for name, value in element.attrib.items()
    )
    children: list[Any] = []

    def text(value: str | None) -> None:
        if not value:
            return
        if children and isinstance(children[-1], str):
            children[-1] += value
        else:
            children.append(value)

    text(element.text)
    for child in element:
        children.append(_node(child))
        text(child.tail)
    return (element.tag, tuple(attributes), tuple(children))


def _style(value: str) -> str:
    declarations = (part.replace(" ", "") for part in value.split(";"))
    return ";".join(sorted(part for part in declarations if part))


def same_as_ammonia(fragment: str) -> bool:
    """Whether the page reads the same with `fragment` used as it is as with ammonia's
    output (each then with reserved ids and math links made safe)."""
    as_it_is = ids_and_math_made_safe(fragment)
    return bool(tree(as_it_is) == tree(ids_and_math_made_safe(_cleaner().clean(fragment))))


def test_the_oracle_tells_trees_apart() -> None:
    """The comparison can fail: what ammonia changes is seen as a change."""
    assert not same_as_ammonia('<p onclick="x">a</p>')
    assert not same_as_ammonia("<ul><li>a</li></ul></article><p>b</p>")  # closes the theme's
    assert not same_as_ammonia("<div><p>a</p>")  # holds the theme's paragraph after it
    assert not same_as_ammonia('<a href="javascript:x">a</a>')
    assert same_as_ammonia('<p>a<br />b &#95; <td style="width: 3%">')


# What Markdown, its usual extensions and the templates write: kept as it is.
MARKDOWN_OUTPUT = [
    '<h2 id="risks">Risks<a class="headerlink" href="#risks" title="Permanent link">¶</a></h2>',
    "<p>a <code>x &lt; y</code> &amp; <strong>b</strong><br />\nc</p>",
    '<table>\n<thead>\n<tr>\n<th style="text-align: left;">A</th>\n</tr>\n</thead>\n<tbody>\n'
    '<tr>\n<td style="text-align: left;"><a href="../x/">x</a></td>\n</tr>\n</tbody>\n</table>',
    '<ul class="task-list">\n<li class="task-list-item"><label class="task-list-control">'
    '<input type="checkbox" disabled checked/><span class="task-list-indicator"></span>'
    "</label> done</li>\n</ul>",
    '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>Text.</p>\n</div>',
    '<div class="highlight"><pre><span></span><code><span class="n">x</span> = 1\n</code></pre>'
    "</div>",
    '<p>See<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>.</p>\n'
    '<div class="footnote">\n<hr />\n<ol>\n<li id="fn:1">\n<p>Note&#160;<a '
    'class="footnote-backref" href="#fnref:1" title="Jump back">&#8617;</a></p>\n</li>\n</ol>\n'
    "</div>",
    '<p><a href="https://example.com/a?b=1&amp;c=2#d">x</a> <a href="mailto:a@b.c">m</a> '
    '<img alt="pic" src="img/a.png" /></p>',
    '<p><span class="twemoji"><svg viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg">'
    '<path d="M1 2"/></svg></span></p>',
    "<dl>\n<dt>Term</dt>\n<dd>Text</dd>\n</dl>",
    '<details class="note"><summary>More</summary><p>Hidden</p></details>',
    '<div class="techplan-graph__grid" style="width: 460px; '
    'grid-template-columns: repeat(2, 180px);"></div>',
    '<span class="arithmatex">\\(\\href{https://example.com}{ok} &lt; 1\\)</span>',
    '<div class="highlight"><pre><span></span><code><span class="kd">interface</span>'
    '<span class="w"> </span><span class="p">{</span>\n<span class="o">&lt;</span> x &gt; y\n'
    "</code></pre></div>",
]


@pytest.mark.parametrize("html", MARKDOWN_OUTPUT)
def test_markdown_output_is_kept_as_it_is_and_means_what_ammonia_would_give(html: str) -> None:
    assert kept_as_is(html)
    assert same_as_ammonia(html)
    assert sanitize_html(html) == html


# Each is either unsafe or parsed by a browser into another tree than its tags spell: left to
# ammonia.
NOT_KEPT = {
    "script": "<p>a</p><script>alert(1)</script>",
    "event handler": '<img src="x" onerror="alert(1)" />',
    "javascript url": '<a href="javascript:alert(1)">x</a>',
    "scheme with a tab": '<a href="java\tscript:alert(1)">x</a>',
    "scheme as references": '<a href="java&#x09;script:alert(1)">x</a>',
    "colon as a reference": '<a href="javascript&colon;alert(1)">x</a>',
    "data image": '<img src="data:image/svg+xml,x" />',
    "upper-case scheme": '<a href="HTTPS://example.com">x</a>',
    "reserved id as references": '<h2 id="&#95;_config">x</h2>',
    "math link as references": "<p>$\\href{javascript&#58;alert(1)}{x}$</p>",
    "backslash as a reference": "<p>$&#92;href{javascript&#58;alert(1)}{x}$</p>",
    "stray closing tag": "<p>a</p></div><p>b</p>",
    "unclosed element": "<div><p>a</p>",
    "block in a paragraph": "<p>a<div>b</div></p>",
    "text in a table": "<table>text<tbody><tr><td>a</td></tr></tbody></table>",
    "row without a body": "<table><tr><td>a</td></tr></table>",
    "item outside a list": "<div><li>a</li></div>",
    "item in an item": "<ul><li>a<li>b</li></li></ul>",
    "link in a link": '<a href="a"><span><a href="b">x</a></span></a>',
    "html inside svg": "<svg><p>a</p></svg>",
    "title outside svg": "<title><b>x</b></title>",
    "self-closing span": "<p><span/>a</p>",
    "upper-case tag": "<P>a</P>",
    "single quotes": "<a href='x'>x</a>",
    "unquoted attribute": "<a href=x>x</a>",
    "duplicate attribute": '<a href="a" href="javascript:x">x</a>',
    "comment": "<p>a<!-- b --></p>",
    "lone angle bracket": "<p>a < b</p>",
    "forbidden style": '<p style="background: url(x)">a</p>',
    "style of another property": '<p style="color: red">a</p>',
    "unknown attribute": '<p hidden="">a</p>',
    "nul": "<p>a\x00b</p>",
    "closing void element": "<p>a<br></br></p>",
    "svg shape outside svg": '<path d="M1"></path>',
    "handler in highlighted code": '<pre><code><span class="k" onclick="x">a</span></code></pre>',
    "highlighted code in a row": '<table><tbody><tr><code><span class="k">a</span></code></tr>'
    "</tbody></table>",
    "highlighted code, then a stray end": '<pre><code><span class="k">a</span></code></pre></div>',
    "highlighted code in a list": '<ul><code><span class="k">a</span></code></ul>',
}


@pytest.mark.parametrize("html", NOT_KEPT.values(), ids=NOT_KEPT.keys())
def test_anything_else_goes_through_ammonia(html: str) -> None:
    assert not kept_as_is(html)
    assert sanitize_html(html) == sanitize_html(_cleaner().clean(html))


def _captured_fragments(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    fragments: list[str] = []

    def recording(fragment: str) -> bool:
        fragments.append(fragment)
        return kept_as_is(fragment)

    monkeypatch.setattr(safety, "kept_as_is", recording)
    return fragments


def test_every_fragment_of_real_documents_it_keeps_means_what_ammonia_would_give(
    site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real public design documents (tests/realworld), built in Material with the extensions
    such sites use: each fragment sanitized is checked against the oracle, and the quick path
    serves most of them (it is not code that never runs)."""
    from test_realworld import EXTENSIONS

    entries = sorted(path for path in REALWORLD.iterdir() if (path / "plan.yaml").is_file())
    for entry in entries:
        site.write(f"plans/{entry.name}/plan.yaml", (entry / "plan.yaml").read_text("utf-8"))
        for spec in sorted((entry / "specs").glob("*.md")):
            site.write(f"specs/{entry.name}/{spec.name}", spec.read_text(encoding="utf-8"))
    fragments = _captured_fragments(monkeypatch)
    result = site.build(theme="material", markdown_extensions=EXTENSIONS, strict=False)
    assert not result.failed, result.messages
    kept = [fragment for fragment in fragments if kept_as_is(fragment)]
    assert [fragment[:200] for fragment in kept if not same_as_ammonia(fragment)] == []
    pages = [fragment for fragment in fragments if len(fragment) > 5_000]
    assert len(pages) >= len(entries)
    assert sum(map(kept_as_is, pages)) >= len(pages) // 2, "the quick path serves real pages"


def _element(rng: random.Random, depth: int) -> Iterator[str]:
    """A random element: usually placed and written as Markdown would, sometimes not."""
    name = rng.choice([*sorted(TAGS), "script", "iframe", "P", "form"])
    attributes = ""
    for _ in range(rng.choice([0, 0, 1, 2])):
        key = rng.choice(
            [
                *sorted(ATTRIBUTES.get(name, set()) | {"class", "id", "style", "data-x"}),
                "onclick",
                "href",
                "src",
                "hidden",
            ]
        )
        value = rng.choice(
            ["a", "#fn:1", "../x/", "https://e.com/?a=1&amp;b", "javascript:x", "&#95;_x",
             "text-align: left;", "width: 3%", "color: red", "java&#x09;script:x", "__config",
             "mailto:a@b", "data:x", "  http://x", "a'b"]
        )  # fmt: skip
        attributes += rng.choice([f' {key}="{value}"', f" {key}", f" {key}='{value}'"])
    if rng.random() < 0.15:
        yield f"<{name}{attributes} />"
        return
    yield f"<{name}{attributes}>"
    for _ in range(rng.choice([0, 1, 1, 2, 3]) if depth < 4 else 0):
        if rng.random() < 0.4:
            yield rng.choice(
                ["text", " ", "\n", "a &amp; b", "&#95;", "x > y", "\xa0", "<",
                 "$\\href{javascript&#58;x}{y}$", "$&#92;href{javascript:x}{y}$"]
            )  # fmt: skip
        else:
            yield from _element(rng, depth + 1)
    if rng.random() < 0.9:
        yield f"</{name}>"
    if rng.random() < 0.03:
        yield rng.choice(["</div>", "</p>", "<!-- c -->", "</td>"])


def _well_placed(rng: random.Random) -> str:
    """A fragment as Markdown writes it, with a random mistake now and then."""
    shapes = [
        "<p>{t}</p>", "<ul><li>{t}</li><li>{t}</li></ul>", "<ol><li><p>{t}</p></li></ol>",
        "<table><thead><tr><th>{t}</th></tr></thead><tbody><tr><td>{t}</td></tr></tbody></table>",
        "<dl><dt>{t}</dt><dd>{t}</dd></dl>", "<blockquote><p>{t}</p></blockquote>",
        '<div class="admonition"><p class="admonition-title">{t}</p><p>{t}</p></div>',
        "<pre><code>{t}</code></pre>", "<h3>{t}</h3>",
        "<details><summary>{t}</summary>{t}</details>",
        '<p><svg viewBox="0 0 1 1"><path d="M1"/><g><circle r="1"></circle></g></svg>{t}</p>',
    ]  # fmt: skip
    inline = [
        "a", "<code>x</code>", "<strong>b</strong>", '<a href="../x/">l</a>', "<em>e</em>",
        '<a href="#y"><span>s</span></a>', "x &lt; y", "<br />", '<img alt="p" src="a.png" />',
        '<code><span class="k">if</span> x &gt; <span class="mi">1</span></code>',
    ]  # fmt: skip
    parts = [
        rng.choice(shapes).replace("{t}", "".join(rng.choices(inline, k=2)))
        for _ in range(rng.randint(1, 4))
    ]
    fragment = "\n".join(parts)
    for _ in range(rng.choice([0, 0, 1, 2])):  # a mistake, at a tag boundary anywhere
        at = rng.randrange(len(fragment) + 1)
        while at and fragment[at - 1] not in ">\n":
            at -= 1
        mistake = rng.choice(MISPLACED) if rng.random() < 0.7 else "".join(_element(rng, 3))
        fragment = fragment[:at] + mistake + fragment[at:]
    return fragment


MISPLACED = [
    "<li>x</li>", "<tr><td>x</td></tr>", "<td>x</td>", "text", "\xa0", '<a href="#z">in</a>',
    "<div>d</div>", "<p>p</p>", "<caption>c</caption>", '<svg><path d="M"/></svg>',
    '<path d="M"/>', "<dd>x</dd>", "<summary>s</summary>", "<col />", "<hr />", "<h2>h</h2>",
    "<table><tbody><tr><td>t</td></tr></tbody></table>", "<title>t</title>", "<ul>u</ul>",
    "<thead><tr><th>h</th></tr></thead>", "</p>", "<p>", "<b>", "</b>", "<span />",
    '<code><span class="n">x</span></code>', '<span class="n">x</span>',
]  # fmt: skip
"""Well-formed pieces that a browser would move, close or wrap in many places."""


@pytest.mark.parametrize("seed", range(4))
def test_every_generated_fragment_it_keeps_means_what_ammonia_would_give(seed: int) -> None:
    rng = random.Random(seed)
    fragments = [_well_placed(rng) for _ in range(600)] + [
        "".join(_element(rng, 0)) for _ in range(600)
    ]
    kept = [fragment for fragment in fragments if kept_as_is(fragment)]
    assert [fragment for fragment in kept if not same_as_ammonia(fragment)] == []
    # Both answers are given often: neither side of the check is empty.
    assert len(fragments) * 0.3 < len(kept) < len(fragments) * 0.9


def test_what_the_check_remembers_stays_small() -> None:
    """Tags seen are remembered to be looked up, not parsed, next time; long ones (each link's
    own URL) are not, so a site of long links does not keep its text twice."""
    from mkdocs_techplan.render import allowlist

    links = "".join(
        f'<p><a href="https://example.com/{number}/{"x" * 1_000}">{number}</a></p>'
        for number in range(500)
    )
    before = dict(allowlist._vetted)
    assert kept_as_is(links)
    remembered = set(allowlist._vetted) - set(before)
    assert remembered <= {"p", "/p", "/a"}
