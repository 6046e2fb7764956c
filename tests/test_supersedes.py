"""Real builds: `supersedes` links a newer plan to an older one, and the older one says so."""

from __future__ import annotations

import json

from bs4 import Tag
from conftest import BuildResult, SiteBuilder

NO_RULES = {"status_rules": False}


def _plan(site: SiteBuilder, name: str, title: str, supersedes: str = "") -> None:
    text = f"title: {title}\nstatus: Draft\n"
    if supersedes:
        text += f"supersedes: {supersedes}\n"
    site.write(f"plans/{name}/plan.yaml", text)


def _header_links(result: BuildResult, page: str, label: str) -> list[tuple[str, str]]:
    content = result.content(page)
    strong = content.find("strong", string=label)
    if strong is None:
        return []
    links = []
    for sibling in strong.next_siblings:
        if isinstance(sibling, Tag) and sibling.name == "br":
            break
        if isinstance(sibling, Tag) and sibling.name == "a":
            links.append((sibling.get_text(), sibling["href"]))
    return links


def _banner(result: BuildResult, page: str) -> Tag | None:
    return result.content(page).select_one(".techplan-banner--superseded")


def test_chain_links_each_plan_both_ways_and_banners_name_the_latest(site: SiteBuilder) -> None:
    _plan(site, "a", "Plan A")
    _plan(site, "b", "Plan B", "../a/plan.yaml")
    _plan(site, "c", "Plan C", "/plans/b/plan.yaml")
    result = site.build(plugin_options=NO_RULES)
    assert not result.failed, result.messages

    assert _header_links(result, "plans/b/index.html", "Supersedes:") == [("Plan A", "../a/")]
    assert _header_links(result, "plans/a/index.html", "Superseded by:") == [("Plan B", "../b/")]
    assert _header_links(result, "plans/b/index.html", "Superseded by:") == [("Plan C", "../c/")]
    assert _header_links(result, "plans/c/index.html", "Superseded by:") == []

    banner = _banner(result, "plans/a/index.html")
    assert banner is not None
    # The banner comes first on the page, before the title.
    assert banner.find_next("h1").get_text(strip=True).startswith("Technical Plan: Plan A")
    paragraphs = banner.find_all("p")
    assert [p.get_text(" ", strip=True) for p in paragraphs] == [
        "Superseded. This plan has been superseded by Plan B Draft .",
        "The latest plan in this line: Plan C Draft .",
    ]
    assert [a["href"] for a in banner.find_all("a")] == ["../b/", "../c/"]
    assert banner.select_one(".techplan-badge--draft") is not None

    banner_b = _banner(result, "plans/b/index.html")
    assert banner_b is not None
    assert [a["href"] for a in banner_b.find_all("a")] == ["../c/"]
    assert _banner(result, "plans/c/index.html") is None


def test_banner_links_work_without_directory_urls(site: SiteBuilder) -> None:
    _plan(site, "a", "Plan A")
    site.write("plans/a-v2.plan.yaml", "title: Plan A v2\nstatus: Draft\nsupersedes: a/plan.yaml\n")
    result = site.build(plugin_options=NO_RULES, use_directory_urls=False)
    assert not result.failed, result.messages
    banner = _banner(result, "plans/a/index.html")
    assert [a["href"] for a in banner.find_all("a")] == ["../a-v2.html"]
    assert _header_links(result, "plans/a/index.html", "Superseded by:") == [
        ("Plan A v2", "../a-v2.html")
    ]
    assert (result.site_dir / "plans" / "a-v2.html").exists()


def test_plan_superseding_itself_is_an_error_naming_it(site: SiteBuilder) -> None:
    _plan(site, "a", "Plan A", "plan.yaml")
    result = site.build(plugin_options=NO_RULES)
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/a/plan.yaml:3:13: `supersedes` is `plan.yaml`, which is this plan itself "
        "(docs/plans/a/plan.yaml); a plan supersedes another, older plan"
    ]
    assert _banner(result, "plans/a/index.html") is None


def test_cycle_is_an_error_naming_every_file(site: SiteBuilder) -> None:
    _plan(site, "a", "Plan A", "../c/plan.yaml")
    _plan(site, "b", "Plan B", "../a/plan.yaml")
    _plan(site, "c", "Plan C", "../b/plan.yaml")
    result = site.build(plugin_options=NO_RULES)
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/b/plan.yaml:3:13: `supersedes` makes a cycle: docs/plans/b/plan.yaml → "
        "docs/plans/a/plan.yaml → docs/plans/c/plan.yaml → docs/plans/b/plan.yaml (each "
        "supersedes the next); a plan supersedes only older plans, so remove the reference "
        "that points the wrong way"
    ]


def test_two_plan_cycle_in_a_list(site: SiteBuilder) -> None:
    _plan(site, "a", "Plan A", "[../b/plan.yaml]")
    _plan(site, "b", "Plan B", "../a/plan.yaml")
    result = site.build(plugin_options=NO_RULES)
    assert result.techplan_warnings == [
        "docs/plans/b/plan.yaml:3:13: `supersedes` makes a cycle: docs/plans/b/plan.yaml → "
        "docs/plans/a/plan.yaml → docs/plans/b/plan.yaml (each supersedes the next); a plan "
        "supersedes only older plans, so remove the reference that points the wrong way"
    ]


def test_supersedes_must_name_a_plan(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Auth\n")
    _plan(site, "old", "Old plan")
    _plan(site, "a", "Plan A", "[../../specs/auth.md, 'https://example.com/plan']")
    result = site.build(plugin_options=NO_RULES)
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/a/plan.yaml:3:14: `supersedes[0]` is `../../specs/auth.md`, the page "
        "`specs/auth.md`, which is not a plan; it takes the path of another plan's file, such "
        "as `../old/plan.yaml`",
        "docs/plans/a/plan.yaml:3:35: `supersedes[1]` is `https://example.com/plan`, a URL, "
        "which is not a plan; it takes the path of another plan's file, such as "
        "`../old/plan.yaml`",
    ]


def test_missing_plan_suggests_the_nearest_plan_file(site: SiteBuilder) -> None:
    _plan(site, "old-auth", "Old")
    _plan(site, "a", "Plan A", "../old-atuh/plan.yaml")
    result = site.build(plugin_options=NO_RULES)
    assert result.techplan_warnings == [
        "docs/plans/a/plan.yaml:3:13: `supersedes` points to `../old-atuh/plan.yaml`, but "
        "there is no page `plans/old-atuh/plan.yaml` in the docs; did you mean "
        "`../old-auth/plan.yaml`?"
    ]


def _badges(tag: Tag | None) -> list[str]:
    assert tag is not None
    return [badge.get_text(" ", strip=True) for badge in tag.select(".techplan-badge")]


def test_a_superseded_plan_shows_superseded_wherever_it_is_listed(site: SiteBuilder) -> None:
    """Its own status stays (the history), and `Superseded` is shown beside it; the index
    counts and filters it as superseded, and plans.json says so."""
    site.write("plans/old/plan.yaml", "title: Old\nstatus: Approved\n")
    site.write(
        "plans/new/plan.yaml",
        "title: New\nstatus: Approved\nsupersedes: ../old/plan.yaml\n",
    )
    result = site.build(plugin_options=NO_RULES, site_url="https://docs.example.org/")
    assert not result.failed, result.messages
    header = result.content("plans/old/index.html").find("strong", string="Status:")
    assert header is not None
    assert _badges(header.parent) == ["Approved", "Superseded"]
    assert _badges(
        result.content("plans/new/index.html").find("strong", string="Status:").parent
    ) == ["Approved"]
    index = result.content("plans/index.html")
    counts = index.select_one(".techplan-counts")
    # Counted as superseded, not as approved; the status appears once a plan is superseded.
    assert _badges(counts) == ["Draft 0", "In Review 0", "Approved 1", "Superseded 1"]
    rows = {row.select_one("a").get_text(): row for row in index.select("tbody tr")}
    assert _badges(rows["Old"]) == ["Approved", "Superseded"]
    assert rows["Old"].select_one("[data-techplan-status]")["data-techplan-status"] == "superseded"
    assert rows["New"].select_one("[data-techplan-status]")["data-techplan-status"] == "approved"
    css = (result.site_dir / "assets" / "techplan.css").read_text(encoding="utf-8")
    assert ".techplan-badge--superseded { --techplan-status: #4b5563; }" in css
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text(encoding="utf-8"))
    by_title = {plan["title"]: plan for plan in data["plans"]}
    assert by_title["Old"]["status"] == "Approved"
    assert by_title["Old"]["effective_status"] == "Superseded"
    assert by_title["New"]["effective_status"] == "Approved"
    assert data["counts"]["Approved"] == 1 and data["counts"]["Superseded"] == 1


def test_a_site_that_configures_superseded_keeps_its_own(site: SiteBuilder) -> None:
    site.write("plans/old/plan.yaml", "title: Old\nstatus: Accepted\n")
    site.write("plans/gone/plan.yaml", "title: Gone\nstatus: superseded\n")
    site.write(
        "plans/new/plan.yaml", "title: New\nstatus: Accepted\nsupersedes: ../old/plan.yaml\n"
    )
    statuses = {"Accepted": "#15803d", "Superseded": "#7c2d12"}
    result = site.build(plugin_options={**NO_RULES, "statuses": statuses})
    assert not result.failed, result.messages
    old = result.content("plans/old/index.html").find("strong", string="Status:").parent
    assert _badges(old) == ["Accepted", "Superseded"]
    gone = result.content("plans/gone/index.html").find("strong", string="Status:").parent
    assert _badges(gone) == ["Superseded"]  # its own status, once
    counts = _badges(result.content("plans/index.html").select_one(".techplan-counts"))
    assert counts == ["Accepted 1", "Superseded 2"]
    css = (result.site_dir / "assets" / "techplan.css").read_text(encoding="utf-8")
    assert ".techplan-badge--superseded { --techplan-status: #7c2d12; }" in css
