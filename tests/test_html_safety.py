"""Safety decided on the HTML: whatever Markdown plan text holds, what the plugin puts in the site
from plan data carries no active content (issue "Hostile input, second round").

The attacks here got past the source-level checks before the HTML sanitizer: a reference
definition whose label spans two lines, a destination padded past any fixed window, and math
links under arithmatex. Each is checked in a real build, in the plan page, the index, a spec
page's backlinks, a `<!-- techplan:index -->` listing and the search index.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import SiteBuilder
from test_allowlist import tree

from mkdocs_techplan.render.allowlist import kept_as_is
from mkdocs_techplan.render.safety import PlanHtml, cell_slot, sanitize_html

UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)
FORBIDDEN_TAGS = ["script", "iframe", "object", "embed", "form", "base", "style"]
MATH_LINK = re.compile(r"\\(?:href|url)\s*\{\s*([^{}]*)\}")


def active_content(soup: BeautifulSoup) -> list[str]:
    """Everything in `soup` a browser (or MathJax) could run or follow to run script."""
    found = [f"<{tag.name}>" for tag in soup.find_all(FORBIDDEN_TAGS)]
    found += [str(tag) for tag in soup.find_all("meta", attrs={"http-equiv": True})]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on"):
                found.append(f"{tag.name} {name}")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                cleaned = "".join(ch for ch in text if ch.isprintable() and not ch.isspace())
                if UNSAFE_URL.match(cleaned):
                    found.append(f"{tag.name} {name}={text[:40]}")
    for match in MATH_LINK.finditer(soup.get_text()):
        url = "".join(match[1].split())
        if re.match(r"[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) and not re.match(
            r"(https?|mailto):", url, re.IGNORECASE
        ):
            found.append(match[0])
    return found


TWO_LINE_LABEL = "Read [the notes][a\nb].\n\n[a\nb]: javascript:alert(1)\n"
PADDED = "Read [this](" + " " * 300 + "javascript:alert(2)).\n"
IMAGE_LABEL = "![pic][c\nd]\n\n[c\nd]: vbscript:msgbox(3)\n"
MATH = "Inline $\\href{javascript:alert(4)}{click}$ and $\\url{ javascript:alert(5) }$.\n"
ATTACKS = [(TWO_LINE_LABEL, "the notes"), (PADDED, "this"), (IMAGE_LABEL, "pic"), (MATH, "click")]
"""Each attack, and a word of it the reader still sees."""


def _plan(text: str, title: str = "Hostile") -> dict[str, Any]:
    return {
        "title": title,
        "status": "Draft",
        "date": "2026-01-02",
        "summary": text,
        "specification": "../../specs/spec.md",
        "architecture": {"overview": text},
        "open_questions": [text],
        "rollback": [text],
    }


@pytest.mark.parametrize(
    ("text", "seen"), ATTACKS, ids=["two-line-label", "padded", "image", "math"]
)
@pytest.mark.parametrize("allow_html", [False, True])
def test_plan_text_puts_no_active_content_in_any_page(
    site: SiteBuilder, text: str, seen: str, allow_html: bool
) -> None:
    site.write_plan("plans/hostile/plan.yaml", _plan(text))
    site.write("specs/spec.md", "# Spec\n\nSome words.\n")
    site.write("listing.md", "# Listing\n\n<!-- techplan:index -->\n")
    result = site.build(
        strict=False,
        theme="material",
        plugins=["search", {"techplan": {"allow_html": allow_html}}],
        markdown_extensions=["pymdownx.arithmatex"],
    )
    assert not result.failed, result.messages
    for page in ["plans/hostile/index.html", "plans/index.html", "specs/spec/index.html",
                 "listing/index.html"]:  # fmt: skip
        assert active_content(result.content(page)) == [], page
    index = json.loads((result.site_dir / "search/search_index.json").read_text("utf-8"))
    for entry in index["docs"]:
        soup = BeautifulSoup(entry["text"] + entry["title"], "html.parser")
        assert active_content(soup) == [], entry["location"]
    # The text itself is still there for the reader.
    assert seen in result.content("plans/hostile/index.html").get_text()


def test_the_check_finds_active_content() -> None:
    """The assertion above can fail: each kind of active content is seen."""
    soup = BeautifulSoup(
        '<a href=" java\tscript:x">a</a><img src="data:text/html,x"><p onclick="x">p</p>'
        "<script>x</script><span>\\(\\href{javascript:x}{y}\\)</span>",
        "html.parser",
    )
    assert len(active_content(soup)) == 5


def test_sanitizer_keeps_what_markdown_and_the_templates_make() -> None:
    html = (
        '<h2 id="risks">Risks<a class="headerlink" href="#risks" title="Permanent link">¶</a>'
        '</h2><table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td>'
        '<span class="techplan-badge techplan-badge--draft">Draft</span></td></tr></tbody>'
        '</table><ul class="task-list"><li><input type="checkbox" disabled="" checked="">'
        ' done</li></ul><a href="../../specs/spec/">Spec</a> <a href="https://example.com/">x</a>'
        '<span class="arithmatex">\\(\\href{https://example.com}{ok}\\)</span>'
    )
    assert BeautifulSoup(sanitize_html(html), "html.parser") == BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<p data-md-component="search" data-note="x">a</p>', '<p data-note="x">a</p>'),
        ('<div DATA-MD-TOGGLE="drawer" class="c">b</div>', '<div class="c">b</div>'),
        ("<p data-md-state='a\"b>' data-md-x>c</p>", "<p>c</p>"),
        ('<svg class="i" data-md-x="1"><path data-md-y d="M0"/></svg>',
         '<svg class="i"><path d="M0"></path></svg>'),
        # Text, and a value that spells one, are not attributes: they stay.
        ('<p title="a> data-md-x=">d data-md-y="z"</p>',
         '<p title="a&gt; data-md-x=">d data-md-y="z"</p>'),
    ],
)  # fmt: skip
def test_plan_html_never_carries_the_themes_own_attributes(fragment: str, expected: str) -> None:
    """Material's and Zensical's scripts find their components by `data-md-*`: an element of
    plan HTML holding one would pass for part of the theme (raw HTML in a Markdown plan, or
    with `allow_html`)."""
    assert sanitize_html(fragment) == expected
    assert not kept_as_is(fragment) or "data-md-" not in fragment.split(">")[0]


def test_marks_are_unguessable_and_a_region_left_open_is_sanitized_to_the_end() -> None:
    one, other = PlanHtml(), PlanHtml()
    assert one.wrap("x") != other.wrap("x")
    opened = one.wrap("text").split("text")[0].strip()
    html = f"<p>mine <script>kept()</script></p>{opened}<p><img src=x onerror=y></p>"
    assert one.sanitize(html) == '<p>mine <script>kept()</script></p><p><img src="x"></p>'
    # A mark from another build (or typed by an author) is not this build's.
    assert other.sanitize(html) == html


def test_a_plan_file_name_with_markup_reaches_the_edit_button_as_a_url(
    site: SiteBuilder,
) -> None:
    name = 'x"><img src=x onerror=alert(1)>.plan.yaml'
    site.write_plan(f"plans/{name}", {"title": "Named", "status": "Draft"})
    result = site.build(
        strict=False,
        repo_url="https://example.com/repo",
        edit_uri="edit/main/docs/",
    )
    assert not result.failed, result.messages
    [page] = [p for p in (result.site_dir / "plans").rglob("index.html") if "img" in str(p)]
    soup = result.html(str(page.relative_to(result.site_dir)))
    assert soup.find("img", attrs={"onerror": True}) is None
    [edit] = [a for a in soup.find_all("a", href=True) if "/edit/main/" in a["href"]]
    assert edit["href"] == (
        "https://example.com/repo/edit/main/docs/plans/"
        "x%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.plan.yaml"
    )


@pytest.mark.parametrize(
    ("summary", "target"),
    [
        ("[x][a]\n\n[a\n]: javascript:alert(1)", "javascript:alert(1)"),
        ("[x](" + " " * 300 + "javascript:alert(1))", "javascript:alert(1)"),
        ("$\\href{javascript:alert(1)}{x}$", "javascript:alert(1)"),
        ("$\\url{vbscript:run}$", "vbscript:run"),
    ],
    ids=["label over two lines", "padded destination", "math href", "math url"],
)
def test_links_the_sanitizer_removes_are_also_named_at_their_source(
    site: SiteBuilder, summary: str, target: str
) -> None:
    """The HTML stage keeps readers safe; the source check tells the author, and fails
    `--strict`, for the spellings a one-line check of the source used to miss."""
    site.write_plan("plans/l/plan.yaml", {"title": "L", "status": "Draft", "summary": summary})
    result = site.build(markdown_extensions=[{"pymdownx.arithmatex": {"generic": True}}])
    assert result.failed
    assert [w for w in result.techplan_warnings if w.startswith("docs/plans/l/")] == [
        f"docs/plans/l/plan.yaml:3:10: `summary` links to `{target}`: only http(s), mailto and "
        "relative links are allowed, so it is shown as text; link to an https:// URL or a page "
        "path instead"
    ]


def test_a_region_opened_inside_another_does_not_end_it() -> None:
    marks = PlanHtml()
    outer = marks.wrap("<p>plan</p>" + marks.wrap("<p>listing</p>") + "<script>run()</script>")
    assert "<script>" not in marks.sanitize(outer)
    assert "listing" in marks.sanitize(outer)


MARKER_THEN_SCRIPT = (
    "Before.\n\n<!-- techplan:index -->\n\n<!-- techplan:plans -->\n\n"
    "<script>window.__pwned = 1</script>\n\n<img src=x onerror=alert(1)>\n"
)


@pytest.mark.parametrize("allow_html", [False, True])
def test_a_marker_in_plan_text_cannot_end_the_plans_sanitized_region(
    site: SiteBuilder, allow_html: bool
) -> None:
    """With `allow_html`, a listing marker written in a Markdown field was filled, and the
    listing's closing mark ended the plan's region: what followed was published raw."""
    site.write_plan("plans/hostile/plan.yaml", _plan(MARKER_THEN_SCRIPT))
    site.write_plan("plans/other/plan.yaml", _plan("Fine.", title="Other"))
    site.write("specs/spec.md", "# Spec\n\nSome words.\n")
    result = site.build(strict=False, plugins=[{"techplan": {"allow_html": allow_html}}])
    assert not result.failed, result.messages
    for page in ["plans/hostile/index.html", "plans/index.html", "specs/spec/index.html"]:
        assert active_content(result.content(page)) == [], page
    # The marker in the plan's text is not filled: no listing table on the plan page.
    assert result.content("plans/hostile/index.html").select("table.techplan-index") == []


def test_a_deferred_block_comes_back_sanitized_and_its_word_cannot_be_forged() -> None:
    plan_html = PlanHtml()
    block = '<div class="techplan-graph"><a href="javascript:alert(1)" onclick="x()">A</a></div>'
    word = plan_html.defer(block)
    assert plan_html.defer(block) == word and plan_html.defer("") == ""
    # A word of the same shape with another digest (plan text guessing) stays text.
    forged = word[:-24] + "0" * 24
    page = plan_html.sanitize(f"<p>{word}</p>\n<p>{forged}</p>", whole=True)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("div.techplan-graph a").get_text() == "A"
    assert active_content(soup) == []
    assert soup.find("p").get_text() == forged
    # Put back sanitized wherever the word is, in a marked region or not.
    outside = plan_html.sanitize(f"<p>{word}</p>", whole=False)
    assert (
        "techplan-graph" in outside and active_content(BeautifulSoup(outside, "html.parser")) == []
    )
    # The next build forgets this one's blocks.
    plan_html.forget_blocks()
    assert plan_html.put_back(word) == word


def test_blocks_sanitized_in_a_forked_process_are_taken_only_for_blocks_deferred_here() -> None:
    """The process that renders pages ahead sanitizes their blocks; the build takes them in
    place of sanitizing its own copy, and nothing for a word it did not defer."""
    import os
    import pickle

    plan_html = PlanHtml()
    block = '<div class="techplan-graph"><a href="javascript:alert(1)">A</a></div>'
    word = plan_html.defer(block)
    reader, writer = os.pipe()
    if (child := os.fork()) == 0:  # as the process forked by the build
        os.write(writer, pickle.dumps(plan_html.sanitized_blocks(f"# Plan\n\n{word}\n")))
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as stream:
        sanitized = pickle.loads(stream.read())
    os.waitpid(child, 0)
    assert list(sanitized) == [word] and "javascript" not in sanitized[word]
    # Taken, the build's sanitizer is not run on the block again.
    forged = word[:-24] + "0" * 24
    plan_html.accept_sanitized({word: sanitized[word] + "<!-- taken -->", forged: "<b>x</b>"})
    page = plan_html.sanitize(f"<p>{word}</p>\n<p>{forged}</p>", whole=True)
    assert page.startswith(sanitized[word] + "<!-- taken -->")
    assert "<b>x</b>" not in page and forged in page
    assert plan_html.sanitized_blocks("no words here") == {}


def test_a_deferred_block_takes_its_cells_from_the_converted_page() -> None:
    """A listing's block holds slots; its cells (links, summaries) are paragraphs the page
    converts, moved into their slots when the block is put back, sanitized with the page."""
    plan_html = PlanHtml()
    block = "<table><tr>" + "".join(f"<td>{cell_slot(n)}</td>" for n in range(3)) + "</tr></table>"
    markdown = plan_html.defer(block, ["[A](a.md)", "", "**bold** and `code`"])
    word = markdown.split()[0]
    assert markdown == f"{word}\n\n{word}x0 [A](a.md)\n\n{word}x2 **bold** and `code`"
    # Other cells, another word: a page whose cells change changes its Markdown.
    assert plan_html.defer(block, ["[B](b.md)", "", "x"]).split()[0] != word
    converted = (
        f'<p>{word}</p>\n<p>{word}x0 <a href="a/">A</a></p>\n'
        f"<p>{word}x2 <strong>bold</strong> and <code>code</code><script>x()</script></p>\n"
        "<p>After.</p>"
    )
    page = plan_html.sanitize(plan_html.wrap(converted))
    soup = BeautifulSoup(page, "html.parser")
    cells = [td.decode_contents() for td in soup.select("td")]
    assert cells == ['<a href="a/">A</a>', "", "<strong>bold</strong> and <code>code</code>"]
    assert [p.get_text() for p in soup.find_all("p")] == ["After."]
    assert "techplan" not in page and active_content(soup) == []
    # A cell an extension took out of its own paragraph loses its word, not its text.
    odd = plan_html.put_back(f"<p>{word}</p><div>{word}x0 left</div>")
    assert odd.endswith("<div> left</div>") and "techplan" not in odd


def test_a_plan_page_holds_its_blocks_after_conversion_not_before(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yaml", "title: A\nstatus: Draft\nrisks:\n  - risk: Outage\n"
               "    impact: High\n    probability: Low\n    mitigation: Retry\n")  # fmt: skip
    result = site.build()
    assert not result.failed, result.messages
    marked = result.generated_markdown("plans/a/index.md", marks=True)
    assert "techplan-banner" not in marked and "techplan-risk-matrix" not in marked
    page = result.content("plans/a/index.html")
    assert page.select_one(".techplan-banner--draft") is not None
    assert page.select_one(".techplan-risk-matrix") is not None
    assert "techplanblock" not in page.get_text()


CODE_IN_PROSE = """\
title: Code in prose
status: Draft
summary: Reads `config.yaml` first.
architecture:
  overview: |
    Reads `config.yaml`, then calls `merge()`; `a<b>` stays text.

    ### Loading `config.yaml`

    - Then `merge()` runs, with `x_y`.

    ```html
    <code>literal</code>
    ```

    > A quote with `quoted`.
"""


def _deferring_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs_techplan.render import renderer

    monkeypatch.setattr(renderer, "replace_code_elements", lambda markdown, replace: markdown)


@pytest.mark.parametrize("plans", [1, 20], ids=["rendered-in-the-build", "rendered-ahead"])
def test_code_elements_wait_as_words_and_the_page_is_the_same(
    site: SiteBuilder, monkeypatch: pytest.MonkeyPatch, plans: int
) -> None:
    """A plan page's code elements reach MkDocs as words (Python-Markdown has no inline HTML
    to stash) and are put back once it is converted: every page is the same as when they
    reach it as HTML. Twenty plans are rendered by the process that renders ahead."""
    for number in range(plans):
        site.write(f"plans/p{number:02d}/plan.yaml", CODE_IN_PROSE)
    deferred = site.build()
    assert not deferred.failed, deferred.messages
    marked = deferred.generated_markdown("plans/p00/index.md", marks=True)
    pages = sorted(
        path.relative_to(deferred.site_dir) for path in deferred.site_dir.rglob("*.html")
    )
    built = {path: deferred.html(str(path)).body for path in pages}

    _deferring_off(monkeypatch)
    as_html = site.build()
    assert not as_html.failed, as_html.messages
    assert {path: as_html.html(str(path)).body for path in pages} == built
    written = as_html.generated_markdown("plans/p00/index.md", marks=True)

    # Prose code went as words; a heading's (its table of contents reads it), the fence's
    # text and the quote's went as they were.
    assert written.count("<code>") - marked.count("<code>") == 6  # summary, 3 + 2 in prose
    assert marked.count("techplaninline") == 6
    for kept in ("### Loading <code>", "<code>literal</code>", "A quote with <code>"):
        assert kept in marked
    page = deferred.content("plans/p00/index.html")
    assert [code.get_text() for code in page.select("p code, li code")] == [
        "config.yaml", "config.yaml", "merge()", "a<b>", "merge()", "x_y", "quoted",
    ]  # fmt: skip
    assert "techplaninline" not in str(deferred.html("plans/p00/index.html"))


def test_a_code_element_in_an_attribute_of_allowed_html_ends_no_attribute(
    site: SiteBuilder,
) -> None:
    """Raw HTML a site allows may hold what looks like a code element inside an attribute:
    only elements the escapes wrote (no quote in their text) stand as words, so none put
    back can end the attribute and start another."""
    site.write_plan(
        "plans/a/plan.yaml",
        {
            "title": "A",
            "status": "Draft",
            "summary": '<img src="x.png" title="<code>" onerror="alert(1)</code>"> and `code`',
        },
    )
    result = site.build(plugin_options={"allow_html": True})
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    assert active_content(page) == []
    assert [code.get_text() for code in page.select("code")] == ["code"]


def test_a_word_of_the_inline_shape_the_build_did_not_make_stays_text() -> None:
    plan_html = PlanHtml()
    word = plan_html.defer_inline("<code>x</code>")
    other = PlanHtml().defer_inline("<code>x</code>")  # another build's key
    guessed = word[:-1] + ("0" if word[-1] != "0" else "1")
    page = f"<p>{word} {other} {guessed}</p>"
    assert plan_html.put_back(page) == f"<p><code>x</code> {other} {guessed}</p>"
    # A word alone in its paragraph stays in it: it stands for an inline element.
    assert plan_html.put_back(f"<p>{word}</p>") == "<p><code>x</code></p>"
    # One whose element is not clean comes back sanitized.
    unsafe = plan_html.defer_inline('<code onclick="alert(1)">x</code>')
    assert plan_html.put_back(unsafe) == "<code>x</code>"


def test_text_the_sanitizer_skips_is_text_the_cleaner_would_not_change() -> None:
    """Plain text is returned without calling the cleaner (Zensical runs the sanitizer over
    every heading's text): for every character, the cleaner leaves text alone exactly when the
    shortcut says so."""
    from mkdocs_techplan.render.safety import _cleaner

    changed = {
        char
        for char in map(chr, [*range(0x3000), *range(0xE000, 0x10000, 7), 0x1F600, 0x10FFFF])
        if _cleaner().clean(f"a{char}b") != f"a{char}b"
    }
    assert changed == {"\x00", "\r", "&", "<", ">", "\xa0"}
    # Text with one of them is sanitized: the same text as the cleaner's, once parsed.
    assert all(
        tree(sanitize_html(f"a{char}b")) == tree(_cleaner().clean(f"a{char}b")) for char in changed
    )
    assert sanitize_html("Plain words, é ✓ 😀") == "Plain words, é ✓ 😀"
    assert sanitize_html("$\\href{javascript:x}{y}$") == "$\\text{}{y}$"


def test_the_sanitizer_library_is_loaded_only_when_a_fragment_needs_it() -> None:
    """Clean Markdown output is proven so by the quick check; ammonia (1.5 MiB of a build's
    memory) is loaded only for a fragment that goes through it."""
    code = (
        "import sys\n"
        "from mkdocs_techplan.render.safety import sanitize_html\n"
        "assert sanitize_html('<p>a <code>b</code></p>') == '<p>a <code>b</code></p>'\n"
        "print('nh3' in sys.modules)\n"
        "assert sanitize_html('<p onclick=\"x\">a</p>') == '<p>a</p>'\n"
        "print('nh3' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "True"]
