"""Plan ids: unique in the site, a reference target wherever a plan is referenced, shown on
the page, in the index and in `plans.json`, of the site's form with `ids`, and the next free
one written by `new` (README, "Plan ids")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SiteBuilder

from mkdocs_techplan.cli.main import main


def _plan(title: str, plan_id: str | None, extra: str = "") -> str:
    return f"title: {title}\nstatus: Draft\n" + (f"id: {plan_id}\n" if plan_id else "") + extra


def test_a_plan_is_referenced_by_its_id(site: SiteBuilder) -> None:
    site.write("plans/old/plan.yaml", _plan("Old keys", "TP-0001"))
    site.write("plans/new/plan.yaml", _plan("New keys", "TP-0002", "supersedes: TP-0001\n"))
    site.write("plans/other/plan.yaml", _plan("Other", None, "specification: tp-0002\n"))
    result = site.build(site_url="https://example.com/")
    assert not result.failed, result.messages
    new = result.content("plans/new/index.html")
    supersedes = new.find("a", string="Old keys")
    assert supersedes is not None and supersedes["href"] == "../old/"
    assert "ID: TP-0002" in " ".join(new.get_text(" ").split())
    other = result.content("plans/other/index.html").find("a", string="New keys")
    assert other is not None and other["href"] == "../new/"
    index = result.html("plans/index.html")
    shown = [span.get_text() for span in index.select(".techplan-cell--title .techplan-id")]
    assert sorted(shown) == ["TP-0001", "TP-0002"]  # in the title cell by default
    columns = site.build(plugin_options={"index": {"columns": ["title", "id", "status"]}})
    headers = [
        th.get_text(" ", strip=True)
        for th in columns.html("plans/index.html").select("table:has(.techplan-row) thead th")
    ]
    assert headers == ["Plan", "ID", "Status"]
    cells = columns.html("plans/index.html").select(".techplan-cell--id")
    assert sorted(cell.get_text() for cell in cells) == ["", "TP-0001", "TP-0002"]
    assert columns.html("plans/index.html").select(".techplan-id") == []
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text(encoding="utf-8"))
    plans = data["plans"] if isinstance(data, dict) else data
    assert sorted(str(plan["id"]) for plan in plans) == ["None", "TP-0001", "TP-0002"]


def test_a_duplicate_id_fails_the_strict_build_naming_both(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yaml", _plan("A", "TP-0007"))
    site.write("plans/b/plan.yaml", _plan("B", "tp-0007"))
    result = site.build()
    assert result.failed
    assert sorted(result.techplan_warnings) == [
        "docs/plans/a/plan.yaml:3:5: `id` is `TP-0007`, which docs/plans/b/plan.yaml has too; "
        "ids are unique in a site: give one of the plans another id",
        "docs/plans/b/plan.yaml:3:5: `id` is `tp-0007`, which docs/plans/a/plan.yaml has too; "
        "ids are unique in a site: give one of the plans another id",
    ]


def test_ids_of_another_form_fail_with_the_option(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yaml", _plan("A", "TP-0007"))
    site.write("plans/b/plan.yaml", _plan("B", "TP-7"))
    result = site.build(plugin_options={"ids": {"prefix": "TP-", "digits": 4}})
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/b/plan.yaml:3:5: `id` is `TP-7`, which is not an id of this site: ids look "
        "like `TP-0042` (the option `ids`: prefix `TP-`, 4 digits)"
    ]


@pytest.mark.parametrize("bad", [{"prefix": 3}, {"digits": 0}, {"start": 1}])
def test_a_malformed_ids_option_is_refused(site: SiteBuilder, bad: dict[str, object]) -> None:
    site.write("plans/a/plan.yaml", _plan("A", None))
    with pytest.raises(Exception, match="configuration error"):
        site.build(plugin_options={"ids": bad})


def test_new_writes_the_next_free_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nplugins:\n  - techplan:\n      ids: {prefix: TP-, digits: 4}\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "plans" / "a").mkdir(parents=True)
    (tmp_path / "docs" / "plans" / "a" / "plan.yaml").write_text(
        _plan("A", "TP-0041"), encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(main, ["new", "docs/plans/b"]).exit_code == 0
    text = (tmp_path / "docs" / "plans" / "b" / "plan.yaml").read_text(encoding="utf-8")
    assert "\nid: TP-0042\n" in text
    assert runner.invoke(main, ["new", "docs/plans/c"]).exit_code == 0
    text = (tmp_path / "docs" / "plans" / "c" / "plan.yaml").read_text(encoding="utf-8")
    assert "\nid: TP-0043\n" in text
    assert runner.invoke(main, ["validate"]).exit_code == 0


def test_new_parses_the_site_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The next free id, then the check of the plan written: the second parses only the new
    # file (a site of 1,000 plans took twice as long to get its new plan).
    import mkdocs_techplan.site.catalog as catalog

    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nplugins:\n  - techplan:\n      ids: {prefix: TP-, digits: 4}\n"
        "      processes: 1\n",
        encoding="utf-8",
    )
    for number in range(5):
        folder = tmp_path / "docs" / "plans" / f"p{number}"
        folder.mkdir(parents=True)
        (folder / "plan.yaml").write_text(_plan(f"P{number}", f"TP-{number:04}"), "utf-8")
    parsed: list[str] = []
    load_plan = catalog.load_plan
    monkeypatch.setattr(
        catalog, "load_plan", lambda plan_file, *rest: parsed.append(plan_file.src_uri) or
        load_plan(plan_file, *rest),
    )  # fmt: skip
    assert CliRunner().invoke(main, ["new", "docs/plans/new"]).exit_code == 0
    assert "\nid: TP-0005\n" in (tmp_path / "docs/plans/new/plan.yaml").read_text("utf-8")
    assert sorted(parsed) == sorted(
        [*(f"plans/p{number}/plan.yaml" for number in range(5)), "plans/new/plan.yaml"]
    )


def _header_lines(result: object, page: str) -> dict[str, list[str]]:
    """`**Label:** a, b` lines of a plan page's header: label → the linked titles."""
    content = result.content(page)  # type: ignore[attr-defined]
    found: dict[str, list[str]] = {}
    for strong in content.select("p strong"):
        label = strong.get_text().rstrip(":")
        links = []
        for sibling in strong.next_siblings:
            if getattr(sibling, "name", None) in ("strong", "br"):
                break
            if getattr(sibling, "name", None) == "a":
                links.append(sibling.get_text())
        found[label] = links
    return found


def test_relations_show_on_both_sides(site: SiteBuilder) -> None:
    site.write("plans/alpha/plan.yaml", _plan("Alpha", "TP-0001"))
    site.write(
        "plans/beta/plan.yaml",
        _plan("Beta", "TP-0002", "depends_on: ../alpha/plan.yaml\nrelated: [TP-0004]\n"),
    )
    site.write("plans/gamma/plan.yaml", _plan("Gamma", "TP-0003", "extends: TP-0001\n"))
    site.write("plans/delta/plan.yaml", _plan("Delta", "TP-0004", "depends_on: [TP-0001]\n"))
    result = site.build(site_url="https://example.com/")
    assert not result.failed, result.messages
    alpha = _header_lines(result, "plans/alpha/index.html")
    assert alpha["Required by"] == ["Beta", "Delta"]
    assert alpha["Extended by"] == ["Gamma"]
    beta = _header_lines(result, "plans/beta/index.html")
    assert beta["Depends on"] == ["Alpha"] and beta["Related"] == ["Delta"]
    assert _header_lines(result, "plans/delta/index.html")["Related"] == ["Beta"]
    assert _header_lines(result, "plans/gamma/index.html")["Extends"] == ["Alpha"]
    badges = result.content("plans/alpha/index.html").select(".techplan-badge--draft")
    assert len(badges) >= 4  # its own, and one beside each related plan
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text(encoding="utf-8"))
    plans = {plan["title"]: plan for plan in (data["plans"] if isinstance(data, dict) else data)}
    assert [link["text"] for link in plans["Alpha"]["relations"]["required_by"]] == [
        "Beta",
        "Delta",
    ]
    assert plans["Beta"]["relations"]["depends_on"][0]["url"].endswith("plans/alpha/")


def test_a_dangling_relation_and_a_circle_fail_naming_them(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yaml", _plan("A", "TP-0001", "depends_on: TP-0002\n"))
    site.write("plans/b/plan.yaml", _plan("B", "TP-0002", "depends_on: [../a/plan.yaml]\n"))
    site.write("plans/c/plan.yaml", _plan("C", "TP-0003", "related: TP-0099\n"))
    result = site.build()
    assert result.failed
    warnings = result.techplan_warnings
    assert any(
        w.startswith("docs/plans/")
        and "makes a circle:" in w
        and "docs/plans/a/plan.yaml" in w
        and "docs/plans/b/plan.yaml" in w
        for w in warnings
    ), warnings
    assert any(
        w.startswith(
            "docs/plans/c/plan.yaml:4:10: `related` names the plan id `TP-0099`, but no plan has it"
        )
        and "TP-0003" not in w  # never the plan itself
        for w in warnings
    ), warnings
