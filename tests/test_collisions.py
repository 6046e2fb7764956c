"""Nothing lost, nothing overwritten: a plan whose page is taken is an error naming both files.

The winner is always the same (plans are placed in path order, hand-written pages before any
plan), the loser's own problems are still reported, and the page that stays says so too.
"""

from __future__ import annotations

from conftest import SiteBuilder


def test_plan_yaml_and_plan_yml_in_one_folder_name_each_other(site: SiteBuilder) -> None:
    site.write("plans/auth/plan.yaml", "title: From YAML\nstatus: Draft\n")
    site.write("plans/auth/plan.yml", "title: From YML\nstatus: Nope\n")
    strict = site.build()
    assert strict.failed
    assert strict.techplan_warnings == [
        "docs/plans/auth/plan.yaml:1:1: the plan docs/plans/auth/plan.yml would also be "
        "published at `plans/auth/index.html`, so it is not rendered. Rename or move one of "
        "the two files",
        "docs/plans/auth/plan.yml:1:1: this plan would become the page `plans/auth/index.md`, "
        "but the plan docs/plans/auth/plan.yaml is already published at `plans/auth/index.html`; "
        "this plan is not rendered. Rename or move one of the two files",
        # The plan left out is still checked: its own problems are reported too.
        "docs/plans/auth/plan.yml:2:9: `status` is `Nope`, which is not a status of this site; "
        "use one of `Draft`, `In Review`, `Approved`",
    ]
    page = site.build(strict=False).content("plans/auth/index.html")
    assert page.h1.get_text(strip=True).startswith("Technical Plan: From YAML")
    box = page.select_one(".techplan-problems")
    assert box is not None and "docs/plans/auth/plan.yml would also be published" in box.get_text()


def test_named_plan_and_folder_plan_collide_with_directory_urls(site: SiteBuilder) -> None:
    site.write("plans/billing.plan.yaml", "title: Named\nstatus: Draft\n")
    site.write("plans/billing/plan.yaml", "title: Folder\nstatus: Draft\n")
    result = site.build()
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/billing.plan.yaml:1:1: the plan docs/plans/billing/plan.yaml would also be "
        "published at `plans/billing/index.html`, so it is not rendered. Rename or move one of "
        "the two files",
        "docs/plans/billing/plan.yaml:1:1: this plan would become the page "
        "`plans/billing/index.md`, but the plan docs/plans/billing.plan.yaml is already "
        "published at `plans/billing/index.html`; this plan is not rendered. Rename or move "
        "one of the two files",
    ]
    assert "Named" in result.content("plans/billing/index.html").h1.get_text()


def test_named_plan_and_folder_plan_both_render_without_directory_urls(
    site: SiteBuilder,
) -> None:
    site.write("plans/billing.plan.yaml", "title: Named\nstatus: Draft\n")
    site.write("plans/billing/plan.yaml", "title: Folder\nstatus: Draft\n")
    result = site.build(strict=False, use_directory_urls=False)
    assert not [w for w in result.techplan_warnings if "would become the page" in w]
    assert "Named" in result.content("plans/billing.html").h1.get_text()
    assert "Folder" in result.content("plans/billing/index.html").h1.get_text()


def test_hand_written_readme_at_the_plan_path_is_kept(site: SiteBuilder) -> None:
    site.write("plans/auth/README.md", "# Read me first\n")
    site.write("plans/auth/plan.yaml", "title: Auth\nstatus: Draft\n")
    result = site.build()
    assert result.techplan_warnings == [
        "docs/plans/auth/plan.yaml:1:1: this plan would become the page `plans/auth/index.md`, "
        "but docs/plans/auth/README.md is already published at `plans/auth/index.html`; the "
        "plan is not rendered. Rename or move one of the two files"
    ]
    assert (
        site.build(strict=False)
        .content("plans/auth/index.html")
        .h1.get_text(strip=True)
        .startswith("Read me first")
    )


def test_hand_written_page_with_directory_urls_takes_the_folder_plan_url(
    site: SiteBuilder,
) -> None:
    site.write("plans/auth.md", "# Auth, by hand\n")
    site.write("plans/auth/plan.yaml", "title: Auth\nstatus: Draft\n")
    result = site.build()
    assert result.techplan_warnings == [
        "docs/plans/auth/plan.yaml:1:1: this plan would become the page `plans/auth/index.md`, "
        "but docs/plans/auth.md is already published at `plans/auth/index.html`; the plan is "
        "not rendered. Rename or move one of the two files"
    ]


def test_a_plan_at_the_index_path_keeps_its_page_and_the_index_is_not_generated(
    site: SiteBuilder,
) -> None:
    site.write("plans/plan.yaml", "title: Top-level plan\nstatus: Draft\n")
    site.write("plans/other/plan.yaml", "title: Other\nstatus: Draft\n")
    result = site.build()
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/plan.yaml:1:1: this plan becomes the page `plans/index.md`, where the plans "
        "index goes, so the index is not generated; move the plan into a folder of its own or "
        "set the `index.path` option"
    ]
    page = site.build(strict=False).content("plans/index.html")
    assert page.h1.get_text(strip=True).startswith("Technical Plan: Top-level plan")


def test_the_same_plan_wins_every_time(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yml", "title: Second in path order\nstatus: Draft\n")
    site.write("plans/a/plan.yaml", "title: First in path order\nstatus: Draft\n")
    for _ in range(3):
        page = site.build(strict=False).content("plans/a/index.html")
        assert "First in path order" in page.h1.get_text()
