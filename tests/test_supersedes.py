"""Real builds: `supersedes` links a newer plan to an older one, and the older one says so."""

from __future__ import annotations

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
