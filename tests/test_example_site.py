"""The example site: it builds strictly, and its plans together use every key of the format."""

from __future__ import annotations

import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLE_SITE
from mkdocs.commands.build import build
from mkdocs.config import load_config

PLANS = {
    # plan file under docs/ → (built page, status shown)
    "plans/identity/sessions.plan.yaml": ("plans/identity/sessions/index.html", "Approved"),
    "plans/identity/api-keys.plan.yml": ("plans/identity/api-keys/index.html", "Approved"),
    "plans/2026/billing.plan.yaml": ("plans/2026/billing/index.html", "In Review"),
    "plans/platform/plan.yml": ("plans/platform/index.html", "Draft"),
    "plans/search/reindex.plan.yml": ("plans/search/reindex/index.html", "Approved"),
}


def _build_example(config_file: str, site_dir: Path) -> list[str]:
    """Build the example site strictly with `config_file`; MkDocs' warnings and errors."""
    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = os.getcwd()
    try:
        os.chdir(EXAMPLE_SITE)
        config = load_config(str(EXAMPLE_SITE / config_file), strict=True, site_dir=str(site_dir))
        build(config)  # strict: raises Abort on any warning
    finally:
        os.chdir(previous)
        logger.removeHandler(handler)
    return messages


def test_example_site_builds_strictly_with_a_page_per_plan(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    assert _build_example("mkdocs.yml", site_dir) == []
    for plan_file, (page, status) in PLANS.items():
        html = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
        badge = html.select_one("article .techplan-badge")
        assert badge is not None and badge.get_text() == status, page
        edit = html.select_one("a[rel=edit]")
        assert edit is not None and str(edit["href"]).endswith(f"/docs/{plan_file}")
    assert not list(site_dir.rglob("*.yaml")) and not list(site_dir.rglob("*.yml"))
    # Every plan has its own entry in Material's sidebar (navigation.indexes turns a section's
    # first index.md into the section itself, which took a plan out of the list).
    index = BeautifulSoup(
        (site_dir / "plans/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    sidebar = index.select_one("nav.md-nav--primary")
    assert sidebar is not None
    listed = {
        (link.get_text(" ", strip=True), str(link["href"]))
        for link in sidebar.select("a.md-nav__link[href]")
    }
    for title, url in [  # the titles the example's nav gives its plans, and their pages
        ("Session-based authentication", "identity/sessions/"),
        ("Rotating API keys", "identity/api-keys/"),
        ("Usage-based billing", "2026/billing/"),
        ("Regional failover", "platform/"),
        ("Zero-downtime search reindex", "search/reindex/"),
    ]:
        assert (title, url) in listed, title  # links relative to plans/


def test_example_site_builds_strictly_with_the_mkdocs_theme(tmp_path: Path) -> None:
    """`mkdocs serve -f example-site/mkdocs-theme.yml`, as the README says."""
    site_dir = tmp_path / "site"
    assert _build_example("mkdocs-theme.yml", site_dir) == []
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "md-header" not in home and "bootstrap" in home  # MkDocs' own theme
    for page, _status in PLANS.values():
        html = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
        assert html.select_one(".techplan-badge") is not None, page
    _has_the_sites_own_sections(site_dir)


def test_the_billing_plan_fills_the_preset_and_the_sites_own_section(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    assert _build_example("mkdocs.yml", site_dir) == []
    _has_the_sites_own_sections(site_dir)
    guide = BeautifulSoup(
        (site_dir / "own-sections/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert guide.select_one("article h1").get_text(strip=True).startswith("Your own sections")


def _has_the_sites_own_sections(site_dir: Path) -> None:
    """`preset: rfc` and the example's `slos` table, as the billing plan fills them."""
    page = BeautifulSoup(
        (site_dir / "plans/2026/billing/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    content = page.select_one("article") or page.select_one('[role="main"]')
    assert content is not None
    h2 = [h.get_text(strip=True).rstrip("¶") for h in content.find_all("h2")]
    assert h2[0] == "Motivation"
    at = h2.index("Risk Assessment")
    assert h2[at + 1 : at + 3] == ["Drawbacks", "Rationale and alternatives"]
    assert h2.index("Service Level Objectives") < at
    slos = next(h for h in content.find_all("h2") if "Service Level" in h.get_text())
    table = slos.find_next_sibling("table")
    assert [th.get_text() for th in table.find_all("th")] == [
        "Objective",
        "Target",
        "Measured over",
    ]
    labels = [strong.get_text() for strong in content.find_all("strong")]
    assert labels.index("Tracking issue:") == labels.index("Specification:") + 1


def test_example_plans_use_every_key_of_the_schema() -> None:
    schema = json.loads(
        resources.files("mkdocs_techplan").joinpath("schema/plan.schema.json").read_text()
    )
    every_key = _key_paths(schema, schema["$defs"], "") - {""}
    used: set[str] = set()
    for plan_file in PLANS:
        text = (EXAMPLE_SITE / "docs" / plan_file).read_text(encoding="utf-8")
        # The pure-Python loader is the stricter one: the example must load with both.
        used |= _used_paths(yaml.load(text, Loader=yaml.SafeLoader), "")
    # `extra` is free-form and `supersedes` may be one reference or a list: one form is enough.
    unused = {key for key in every_key - used if not key.startswith("extra.")} - {"supersedes[]"}
    assert sorted(unused) == []


def _key_paths(node: dict[str, Any], defs: dict[str, Any], path: str) -> set[str]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    paths = {path}
    for key, child in node.get("properties", {}).items():
        paths |= _key_paths(child, defs, f"{path}.{key}" if path else key)
    if "items" in node:
        paths |= _key_paths(node["items"], defs, path + "[]")
    for option in node.get("anyOf", []):
        paths |= _key_paths(option, defs, path)
    return paths


def _used_paths(value: object, path: str) -> set[str]:
    paths = {path}
    if isinstance(value, dict):
        for key, child in value.items():
            paths |= _used_paths(child, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for child in value:
            paths |= _used_paths(child, path + "[]")
    return paths


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
