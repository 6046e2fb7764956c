"""Real builds: plans.json, the Atom feed, status.svg badges, and byte-identical rebuilds."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import BuildResult, SiteBuilder
from test_index import TITLES_IN_ORDER, portfolio

from mkdocs_techplan.render.exports import plans_json_schema

SVG = "{http://www.w3.org/2000/svg}"
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://docs.example.org/handbook/"
PLAN_PAGES = [
    "plans/auth/index.html",
    "plans/2026/billing/index.html",
    "teams/payments/refunds/index.html",
    "teams/payments/ledger/index.html",
    "plans/archive/index.html",
]
BADGES = [page.replace("index.html", "status.svg") for page in PLAN_PAGES]


def built(site: SiteBuilder, **config: object) -> BuildResult:
    result = site.build(**config)  # type: ignore[arg-type]
    assert not result.failed, result.messages
    assert result.techplan_warnings == []
    return result


def load_json(result: BuildResult) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (result.site_dir / "plans" / "plans.json").read_text(encoding="utf-8")
    )
    return data


# --- plans.json ------------------------------------------------------------------------------


def test_plans_json_validates_against_its_schema(site: SiteBuilder) -> None:
    portfolio(site)
    data = load_json(built(site, site_url=SITE_URL))
    schema = plans_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_plans_json_without_site_url_validates_too(site: SiteBuilder) -> None:
    portfolio(site)
    data = load_json(built(site))
    jsonschema.validate(data, plans_json_schema(), cls=jsonschema.Draft202012Validator)
    assert data["site_url"] is None
    plans = data["plans"]
    assert isinstance(plans, list)
    assert all(plan["absolute_url"] is None for plan in plans)


def test_plans_json_lists_every_plan_with_urls_counts_and_roll_ups(site: SiteBuilder) -> None:
    portfolio(site)
    data = load_json(built(site, site_url=SITE_URL))
    assert data["counts"] == {"Draft": 2, "In Review": 2, "Approved": 1}
    assert data["index"] == {"url": "plans/", "absolute_url": SITE_URL + "plans/"}
    plans = data["plans"]
    assert isinstance(plans, list)
    assert [plan["title"] for plan in plans] == TITLES_IN_ORDER
    billing = plans[1]
    assert billing == {
        "title": "Usage billing",
        "id": None,
        "status": "Approved",
        "effective_status": "Approved",
        "version": None,
        "authors": ["Mei Chen"],
        "date": "2026-01-05",
        "url": "plans/2026/billing/",
        "absolute_url": SITE_URL + "plans/2026/billing/",
        "badge": {
            "url": "plans/2026/billing/status.svg",
            "absolute_url": SITE_URL + "plans/2026/billing/status.svg",
        },
        "source": "plans/2026/billing.plan.yaml",
        "specification": [
            {
                "text": "Billing spec",
                "url": "specs/billing/#rating",
                "absolute_url": SITE_URL + "specs/billing/#rating",
            }
        ],
        "supersedes": [],
        "relations": {
            "depends_on": [],
            "required_by": [],
            "extends": [],
            "extended_by": [],
            "related": [],
        },
        "tags": ["billing", "Security"],
        "summary": "Charge for usage, not seats.",
        "open_questions": 0,
        "high_risks": 0,
        "checklist": {"done": 2, "total": 3},
        "fields": {},
    }
    assert plans[0]["open_questions"] == 1
    assert plans[0]["high_risks"] == 1


def test_plans_json_urls_follow_use_directory_urls(site: SiteBuilder) -> None:
    portfolio(site)
    data = load_json(built(site, use_directory_urls=False))
    plans = data["plans"]
    assert isinstance(plans, list)
    assert plans[1]["url"] == "plans/2026/billing.html"
    assert plans[1]["specification"][0]["url"] == "specs/billing.html#rating"
    assert data["index"] == {"url": "plans/index.html", "absolute_url": None}


def test_plans_json_can_be_turned_off(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site, plugin_options={"plans_json": False})
    assert not (result.site_dir / "plans" / "plans.json").exists()


# --- status.svg ------------------------------------------------------------------------------


def test_every_plan_has_a_status_svg_beside_its_page(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site)
    expected = {
        "plans/auth/status.svg": "In Review",
        "plans/2026/billing/status.svg": "Approved",
        "teams/payments/refunds/status.svg": "Draft",
        "teams/payments/ledger/status.svg": "Draft",
        "plans/archive/status.svg": "In Review",
    }
    colours = {"In Review": "#b45309", "Approved": "#15803d", "Draft": "#6b7280"}
    for path, status in expected.items():
        root = ET.fromstring((result.site_dir / path).read_bytes())
        assert root.tag == f"{SVG}svg"
        assert root.get("aria-label") == f"plan: {status}"
        texts = [text.text for text in root.iter(f"{SVG}text")]
        assert texts == ["plan", "plan", status, status]
        fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
        assert colours[status] in fills
        assert int(root.get("width", "0")) > 0


def test_status_svg_of_a_plan_with_an_invalid_status_says_unknown(site: SiteBuilder) -> None:
    site.write("plans/x/plan.yaml", "title: X\nstatus: Someday\n")
    result = site.build(strict=False)
    root = ET.fromstring((result.site_dir / "plans/x/status.svg").read_bytes())
    assert root.get("aria-label") == "plan: unknown"


def test_status_svg_with_use_directory_urls_off_is_beside_the_page_name(
    site: SiteBuilder,
) -> None:
    site.write("plans/billing.plan.yaml", "title: B\nstatus: Draft\n")
    site.write("plans/audit.plan.yaml", "title: A\nstatus: Draft\n")
    result = built(site, use_directory_urls=False)
    assert (result.site_dir / "plans/billing.html").is_file()
    assert (result.site_dir / "plans/billing/status.svg").is_file()
    assert (result.site_dir / "plans/audit/status.svg").is_file()


# --- Files the site already has ------------------------------------------------------------


def test_a_file_at_a_generated_path_is_kept_and_the_build_warns(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("plans/plans.json", '{"mine": true}\n')
    site.write("plans/auth/status.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    result = site.build(site_url=SITE_URL)
    assert result.failed  # warnings fail --strict
    assert result.techplan_warnings == [
        "docs/plans/auth/plan.yaml:1:1: the plan's status badge `plans/auth/status.svg` is not "
        "written: docs/plans/auth/status.svg is already there; rename or remove that file",
        "`plans/plans.json` is not written: docs/plans/plans.json is already there; rename or "
        "remove that file, or set `plans_json: false`",
    ]
    lenient = site.build(strict=False, site_url=SITE_URL)
    assert (lenient.site_dir / "plans/plans.json").read_text() == '{"mine": true}\n'
    assert (
        "<svg xmlns='http://www.w3.org/2000/svg'/>"
        in (lenient.site_dir / "plans/auth/status.svg").read_text()
    )


# --- feed.xml --------------------------------------------------------------------------------


def test_feed_is_atom_with_dated_plans_newest_first(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site, site_url=SITE_URL, site_author="Platform team")
    root = ET.fromstring((result.site_dir / "plans" / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.findtext(f"{ATOM}updated") == "2026-11-02T00:00:00Z"
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == SITE_URL + "plans/feed.xml"
    entries = root.findall(f"{ATOM}entry")
    # Undated plans have no place in a feed ordered by date.
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Session-based authentication (In Review)",
        "Usage billing (Approved)",
        "Refunds (Draft)",
    ]
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
    billing = entries[1]
    assert billing.findtext(f"{ATOM}id") == SITE_URL + "plans/2026/billing/"
    assert billing.findtext(f"{ATOM}updated") == "2026-01-05T00:00:00Z"
    assert billing.findtext(f"{ATOM}summary") == "Charge for usage, not seats."
    assert [a.findtext(f"{ATOM}name") for a in billing.findall(f"{ATOM}author")] == ["Mei Chen"]
    terms = [category.get("term") for category in billing.findall(f"{ATOM}category")]
    assert terms == ["Approved", "billing", "Security"]
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Platform team"  # type: ignore[union-attr]


def test_feed_is_skipped_with_an_info_message_without_site_url(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")  # the test logger passes warnings only
    portfolio(site)
    result = built(site)
    assert not (result.site_dir / "plans" / "feed.xml").exists()
    assert (
        "INFO mkdocs_techplan: `plans/feed.xml` is not written: an Atom feed needs absolute "
        "links, so set `site_url` in mkdocs.yml (or `feed: false` to silence this)"
    ) in result.messages


def test_feed_false_writes_no_feed_and_says_nothing(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    portfolio(site)
    result = built(site, plugin_options={"feed": False})
    assert not (result.site_dir / "plans" / "feed.xml").exists()
    assert not any("feed.xml" in message for message in result.messages)


# --- Determinism ---------------------------------------------------------------------------


def _build_in_subprocess(root: Path, site_dir: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)]
    subprocess.run(command, cwd=root, env=env, check=True)


def test_two_builds_are_byte_identical(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("overview.md", '# Overview\n\n<!-- techplan:index tag="security" -->\n')
    site.build(site_url=SITE_URL)  # writes mkdocs.yml
    first, second = site.root / "first", site.root / "second"
    _build_in_subprocess(site.root, first, "1")
    # Other file times and another hash seed: neither may show in the output.
    for path in site.docs.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    _build_in_subprocess(site.root, second, "2")
    outputs = [
        "plans/index.html",
        "plans/plans.json",
        "plans/feed.xml",
        "overview/index.html",
        "assets/techplan.js",
        "assets/techplan.css",
        *PLAN_PAGES,
        *BADGES,
    ]
    for path in outputs:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
    shutil.rmtree(first)
    shutil.rmtree(second)


@pytest.mark.parametrize("path", ["plans.json", "feed.xml"])
def test_exports_end_with_a_newline(site: SiteBuilder, path: str) -> None:
    portfolio(site)
    result = built(site, site_url=SITE_URL)
    assert (result.site_dir / "plans" / path).read_bytes().endswith(b"\n")


def test_a_versioned_site_url_without_a_trailing_slash_keeps_its_version(
    site: SiteBuilder,
) -> None:
    """mike sets `site_url` to `https://docs.example.com/1.0` (no slash) after MkDocs has
    checked it; absolute URLs are joined as MkDocs joins its canonical URLs."""
    portfolio(site)
    site.write(
        "../hooks.py",
        "def on_config(config):\n"
        "    config.site_url = 'https://docs.example.com/1.0'\n"
        "    return config\n",
    )
    result = built(site, site_url="https://docs.example.com/", hooks=["hooks.py"])
    data = load_json(result)
    assert data["index"] == {
        "url": "plans/",
        "absolute_url": "https://docs.example.com/1.0/plans/",
    }
    plans = data["plans"]
    assert isinstance(plans, list)
    assert {plan["absolute_url"] for plan in plans} >= {
        "https://docs.example.com/1.0/plans/2026/billing/",
        "https://docs.example.com/1.0/teams/payments/refunds/",
    }
    feed = ET.fromstring((result.site_dir / "plans" / "feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}id") == "https://docs.example.com/1.0/plans/feed.xml"
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert links and all(link.startswith("https://docs.example.com/1.0/") for link in links)
    canonical = result.html("plans/index.html").select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == "https://docs.example.com/1.0/plans/"
