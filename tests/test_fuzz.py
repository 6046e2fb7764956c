"""Fuzzing whole builds: Hypothesis writes plans from hostile pieces of YAML structure and
Markdown, a real site is built from each, and whatever the plan holds there is no traceback,
no active content in the parsed HTML, and `feed.xml`, `plans.json` and `status.svg` parse.

The budget is fixed (examples and time), so CI always runs it in the same bounded time;
`TECHPLAN_FUZZ_EXAMPLES=500` runs a longer campaign locally.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import yaml
from conftest import SiteBuilder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_html_safety import active_content

EXAMPLES = int(os.environ.get("TECHPLAN_FUZZ_EXAMPLES", "12"))

# Pieces that have broken Markdown renderers, sanitizers or XML writers somewhere.
PIECES = [
    "[", "]", "](", ")", "[a\nb]: javascript:alert(1)", "[x](" + " " * 250 + "javascript:x)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:", "data:text/html,",
    "$\\href{javascript:alert(1)}{x}$", "\\url{vbscript:x}", "*[HTML]: Hyper", "[^1]: note",
    "[^1]", "`", "```", "~~~", "    code", "{: onclick=alert(1) }", "<!-- techplan:index -->",
    "<!-- /techplan-data 00 -->", "&#106;avascript:", "\ufffe", "\u202e", "*", "_", "**", "#",
    "- ", "1. ", "> ", "|", "\n", "\n\n", " ", "text", "émoji :smile:", "{{ x }}", "%}",
]  # fmt: skip
markdown_text = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
scalar = st.one_of(
    markdown_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
anything = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "x", "risk", "item", "done"]), inner, max_size=3)
    ),
    max_leaves=6,
)
duration = st.one_of(
    markdown_text, st.sampled_from(["3 days", "1e400 days", "9" * 50 + " weeks", "2-3 weeks"])
)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "title": draw(markdown_text | st.just("Fuzzed")),
        "status": draw(st.sampled_from(["Draft", "In Review", "Approved", "draft", "Nope"])),
        "date": draw(st.sampled_from(["2026-01-02", "2026-02-30", "x"])),
        "summary": draw(markdown_text),
        "tags": draw(st.lists(markdown_text, max_size=2)),
        "specification": draw(st.sampled_from(["../../specs/a.md", "javascript:x", "SPEC-1"])),
        "architecture": {"overview": draw(markdown_text), "diagram": draw(markdown_text)},
        "phases": [
            {
                "name": draw(markdown_text),
                "duration": draw(duration),
                "tasks": [draw(markdown_text)],
            }
        ],
        "risks": [
            {
                "risk": draw(markdown_text),
                "impact": draw(st.sampled_from(["High", "Low", "huge"])),
                "probability": "Medium",
                "mitigation": draw(markdown_text),
            }
        ],
        "rollback": draw(st.lists(markdown_text, max_size=3)),
        "open_questions": draw(st.lists(markdown_text, max_size=2)),
    }
    # Structure as authors get it wrong: any key may hold any shape, unknown keys appear.
    for key in draw(st.lists(st.sampled_from([*plan, "extra", "unknown_key"]), max_size=3)):
        plan[key] = draw(anything)
    return plan


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans(), theme=st.sampled_from(["mkdocs", "material"]))
def test_any_plan_builds_safely_and_outputs_stay_well_formed(
    site: SiteBuilder, plan: dict[str, Any], theme: str
) -> None:
    site.write("specs/a.md", "---\nspec_id: SPEC-1\n---\n# A\n\n<!-- techplan:index -->\n")
    site.write_plan("plans/fuzz/plan.yaml", yaml.safe_dump(plan, allow_unicode=True))
    result = site.build(
        strict=False,
        theme=theme,
        site_url="https://example.com/docs/",
        plugins=["search", "techplan"],
        markdown_extensions=["abbr", "footnotes", "attr_list", "pymdownx.arithmatex"],
    )
    assert not result.failed, result.messages
    site_dir = Path(result.site_dir)
    for page in ["plans/fuzz/index.html", "plans/index.html", "specs/a/index.html"]:
        if (site_dir / page).exists():
            assert active_content(result.content(page)) == [], page
    json.loads((site_dir / "plans/plans.json").read_text("utf-8"))
    ElementTree.fromstring((site_dir / "plans/feed.xml").read_bytes())
    if (site_dir / "plans/fuzz/status.svg").exists():
        ElementTree.fromstring((site_dir / "plans/fuzz/status.svg").read_bytes())
    index = json.loads((site_dir / "search/search_index.json").read_text("utf-8"))
    assert index["docs"]
