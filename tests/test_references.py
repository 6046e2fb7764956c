"""Real builds: references in `specification`, `api.schemas` and `supersedes` become links."""

from __future__ import annotations

import pytest
from conftest import BuildResult, SiteBuilder

PLAN = "docs/plans/auth/plan.yaml"


def _specs(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Authentication spec\n\n## Tokens\n\nText.\n")
    site.write("specs/billing.md", "---\ntitle: Billing rules\nspec_id: SPEC-007\n---\n# B\n")


def _plan(site: SiteBuilder, specification: str, extra: str = "") -> None:
    site.write(
        "plans/auth/plan.yaml",
        f"title: Sessions\nstatus: Draft\nspecification: {specification}\n{extra}",
    )


def _spec_links(result: BuildResult, page: str = "plans/auth/index.html") -> list[tuple[str, str]]:
    """(text, href) of the links on the page's Specification line."""
    content = result.content(page)
    label = content.find("strong", string="Specification:")
    assert label is not None, "no Specification line"
    links = []
    for sibling in label.next_siblings:
        if getattr(sibling, "name", None) == "br":
            break
        if getattr(sibling, "name", None) == "a":
            links.append((sibling.get_text(), sibling["href"]))
    return links


@pytest.mark.parametrize(
    ("directory_urls", "href"),
    [(True, "../../specs/auth/"), (False, "../../specs/auth.html")],
)
def test_relative_path_links_to_the_page_under_its_title(
    site: SiteBuilder, directory_urls: bool, href: str
) -> None:
    _specs(site)
    _plan(site, "../../specs/auth.md")
    result = site.build(use_directory_urls=directory_urls)
    assert not result.failed, result.messages
    assert _spec_links(result) == [("Authentication spec", href)]


@pytest.mark.parametrize(
    ("directory_urls", "href"),
    [(True, "../../specs/auth/#tokens"), (False, "../../specs/auth.html#tokens")],
)
def test_path_from_the_docs_root_keeps_its_anchor(
    site: SiteBuilder, directory_urls: bool, href: str
) -> None:
    _specs(site)
    _plan(site, "/specs/auth.md#tokens")
    result = site.build(use_directory_urls=directory_urls)
    assert not result.failed, result.messages
    assert _spec_links(result) == [("Authentication spec", href)]


def test_missing_anchor_is_reported_by_mkdocs_own_anchor_validation(site: SiteBuilder) -> None:
    _specs(site)
    _plan(site, "../../specs/auth.md#nope")
    result = site.build(validation={"anchors": "warn"})
    assert result.failed
    assert (
        "Doc file 'plans/auth/index.md' contains a link '../../specs/auth.md#nope', but the doc "
        "'specs/auth.md' does not contain an anchor '#nope'." in result.warnings
    )


def test_spec_id_links_to_the_page_that_declares_it(site: SiteBuilder) -> None:
    _specs(site)
    _plan(site, "spec-007")  # ids compare case-insensitively
    result = site.build()
    assert not result.failed, result.messages
    assert _spec_links(result) == [("Billing rules", "../../specs/billing/")]


def test_spec_id_key_is_configurable(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "---\nid: AUTH-1\n---\n# Authentication spec\n")
    _plan(site, "AUTH-1#top")
    result = site.build(plugin_options={"spec_id_key": "id"}, validation={"anchors": "info"})
    assert not result.failed, result.messages
    assert _spec_links(result) == [("Authentication spec", "../../specs/auth/#top")]


def test_list_of_specifications_links_each_in_order(site: SiteBuilder) -> None:
    _specs(site)
    _plan(site, "[SPEC-007, ../../specs/auth.md, 'https://example.com/rfc?x=1#s']")
    result = site.build()
    assert not result.failed, result.messages
    assert _spec_links(result) == [
        ("Billing rules", "../../specs/billing/"),
        ("Authentication spec", "../../specs/auth/"),
        ("https://example.com/rfc?x=1#s", "https://example.com/rfc?x=1#s"),
    ]


def test_schemas_may_point_to_a_file_that_is_not_a_page(site: SiteBuilder) -> None:
    _specs(site)
    site.write("schemas/auth.json", "{}\n")
    _plan(site, "../../specs/auth.md", "api:\n  schemas: ../../schemas/auth.json\n")
    result = site.build()
    assert not result.failed, result.messages
    paragraph = (
        result.content("plans/auth/index.html")
        .find(string=lambda text: text and text.startswith("See "))
        .parent
    )
    link = paragraph.find("a")
    assert (link.get_text(), link["href"]) == ("auth.json", "../../schemas/auth.json")


def test_another_plan_can_be_the_specification(site: SiteBuilder) -> None:
    site.write("plans/base/plan.yaml", "title: Base platform\nstatus: Draft\n")
    _plan(site, "../base/plan.yaml")
    result = site.build()
    assert not result.failed, result.messages
    assert _spec_links(result) == [("Base platform", "../base/")]


# Bad references: each names file, line, column, what was written, and what would be right.


def _warnings_for(site: SiteBuilder, specification: str, extra: str = "") -> BuildResult:
    _specs(site)
    _plan(site, specification, extra)
    return site.build()


def test_missing_page_suggests_the_nearest_existing_page(site: SiteBuilder) -> None:
    result = _warnings_for(site, "../spec/auth.md#tokens")
    assert result.failed
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` points to `../spec/auth.md#tokens`, but there is no "
        "page `plans/spec/auth.md` in the docs; did you mean `../../specs/auth.md#tokens`?"
    ]


def test_missing_page_from_the_root_is_suggested_from_the_root(site: SiteBuilder) -> None:
    result = _warnings_for(site, "/spec/billing.md")
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` points to `/spec/billing.md`, but there is no page "
        "`spec/billing.md` in the docs; did you mean `/specs/billing.md`?"
    ]


def test_missing_page_without_anything_close_explains_the_path(site: SiteBuilder) -> None:
    result = _warnings_for(site, "../../roadmap/q3-goals.md")
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` points to `../../roadmap/q3-goals.md`, but there is no "
        "page `roadmap/q3-goals.md` in the docs; check the path: it is relative to the plan "
        "file's folder, or to the docs folder when it starts with `/`"
    ]


def test_path_outside_docs_dir_is_refused_with_the_page_inside(site: SiteBuilder) -> None:
    result = _warnings_for(site, "../../../specs/auth.md")
    assert result.failed
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` points to `../../../specs/auth.md`, which is outside "
        "the docs folder; did you mean `../../specs/auth.md`?"
    ]
    assert result.content("plans/auth/index.html").find("a", href="../../../specs/auth.md") is None


def test_path_outside_docs_dir_with_no_page_like_it(site: SiteBuilder) -> None:
    result = _warnings_for(site, "../../../../etc/passwd.md")
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` points to `../../../../etc/passwd.md`, which is outside "
        "the docs folder; reference a page inside the docs folder, or an http(s) URL"
    ]


def test_unknown_spec_id_suggests_the_nearest_declared_id(site: SiteBuilder) -> None:
    result = _warnings_for(site, "SPEC-070")
    assert result.failed
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` names the spec id `SPEC-070`, but no page declares it "
        "(`spec_id: SPEC-070` in its front matter); did you mean `SPEC-007` (declared by "
        "`specs/billing.md`)?"
    ]


def test_unknown_spec_id_without_any_close_one(site: SiteBuilder) -> None:
    result = _warnings_for(site, "PAYMENTS")
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` names the spec id `PAYMENTS`, but no page declares it "
        "(`spec_id: PAYMENTS` in its front matter); add `spec_id: PAYMENTS` to the spec page's "
        "front matter, or write the page's path such as `../../specs/auth.md`"
    ]


def test_spec_id_declared_by_two_pages_names_both(site: SiteBuilder) -> None:
    site.write("specs/billing-v2.md", "---\nspec_id: SPEC-007\n---\n# Billing v2\n")
    result = _warnings_for(site, "[../../specs/auth.md, SPEC-007]")
    assert result.failed
    assert result.techplan_warnings == [
        f"{PLAN}:3:38: `specification[1]` names the spec id `SPEC-007`, which 2 pages declare "
        "(`specs/billing-v2.md`, `specs/billing.md`); keep the id on one page, or reference the "
        "page by its path"
    ]
    # The other reference is still linked.
    assert _spec_links(result) == [("Authentication spec", "../../specs/auth/")]


def test_javascript_url_is_refused_and_never_linked(site: SiteBuilder) -> None:
    result = _warnings_for(site, "'javascript:alert(1)'")
    assert result.failed
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` is `javascript:alert(1)`, a `javascript:` URL, which is "
        "never linked; write a page path such as `../../specs/auth.md`, an http(s) URL or a spec "
        "id such as `SPEC-042`"
    ]
    content = result.content("plans/auth/index.html")
    assert not [a for a in content.find_all("a") if "javascript" in a.get("href", "").lower()]


def test_file_url_suggests_the_page_it_names(site: SiteBuilder) -> None:
    result = _warnings_for(site, "file:///home/ada/site/docs/specs/auth.md")
    assert result.techplan_warnings == [
        f"{PLAN}:3:16: `specification` is `file:///home/ada/site/docs/specs/auth.md`, a `file:` "
        "URL, which is never linked; write a page path such as `../../specs/auth.md`, an http(s) "
        "URL or a spec id such as `SPEC-042`; did you mean `../../specs/auth.md`?"
    ]


def test_bad_reference_in_schemas_names_its_key(site: SiteBuilder) -> None:
    result = _warnings_for(
        site, "../../specs/auth.md", "api:\n  schemas: ../../specs/auth-api.md\n"
    )
    assert result.techplan_warnings == [
        f"{PLAN}:5:12: `api.schemas` points to `../../specs/auth-api.md`, but there is no page "
        "`specs/auth-api.md` in the docs; did you mean `../../specs/auth.md`?"
    ]


def test_plain_build_reports_and_still_links_the_rest(site: SiteBuilder) -> None:
    _specs(site)
    _plan(site, "[../../specs/missing.md, SPEC-007]")
    result = site.build(strict=False)
    assert not result.failed
    assert len(result.techplan_warnings) == 1
    assert _spec_links(result) == [("Billing rules", "../../specs/billing/")]
    problems = result.content("plans/auth/index.html").select(".techplan-problems li")
    assert len(problems) == 1
