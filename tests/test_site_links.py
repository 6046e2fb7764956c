"""Every internal link and anchor of the built example site resolves, in both themes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from e2e.support import THEMES, build_example_site

SITE_URL = "https://engineering.acorn-ledger.example/"
"""The example site's `site_url`: absolute links to it are internal links too."""

LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


@pytest.fixture(scope="module", params=sorted(THEMES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_site(tmp_path_factory.mktemp(f"links-{request.param}"), request.param)


def test_every_internal_link_and_anchor_of_the_example_site_resolves(built: Path) -> None:
    site = _Site(built)
    broken: list[str] = []
    checked = 0
    for page in sorted(built.rglob("*.html")):
        soup = site.soup(page)
        for tag, attribute in LINK_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                href = element.get(attribute)
                if not isinstance(href, str) or not href.strip():
                    continue
                problem = site.check(page, href.strip())
                checked += 1
                if problem:
                    where = page.relative_to(built)
                    broken.append(f"{where}: <{tag} {attribute}={href!r}>: {problem}")
    assert checked > 500  # the walk really saw the site, not an empty folder
    assert broken == []


def test_plans_json_and_feed_point_at_pages_that_exist(built: Path) -> None:
    site = _Site(built)
    urls = list(_urls_in_json(json.loads((built / "plans" / "plans.json").read_text("utf-8"))))
    feed = (built / "plans" / "feed.xml").read_text("utf-8")
    urls += re.findall(r'href="([^"]+)"', feed)
    internal = [url for url in urls if url.startswith(SITE_URL)]
    assert internal, "plans.json and feed.xml name no pages of the site"
    home = built / "index.html"
    broken = [f"{url}: {problem}" for url in internal if (problem := site.check(home, url))]
    assert broken == []


def _urls_in_json(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _urls_in_json(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls_in_json(item)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield value


class _Site:
    """A built site on disk, read as a web server with directory URLs would serve it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.soup = cache(self._parse)
        self.ids = cache(self._ids)

    def _parse(self, path: Path) -> BeautifulSoup:
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def _ids(self, path: Path) -> frozenset[str]:
        soup = self.soup(path)
        ids = {str(e["id"]) for e in soup.find_all(id=True)}
        ids |= {str(e["name"]) for e in soup.find_all("a", attrs={"name": True})}
        return frozenset(ids)

    def check(self, page: Path, href: str) -> str | None:
        """Why `href`, found on `page`, does not resolve; None when it does or is external."""
        base = SITE_URL + page.relative_to(self.root).as_posix()
        url = urljoin(base, href)
        if not url.startswith(SITE_URL):
            return None  # another site, mailto:, javascript: …: not ours to check
        parts = urlsplit(url)
        target = self._file(unquote(parts.path[len(urlsplit(SITE_URL).path) :]))
        if target is None:
            return f"no file for {parts.path}"
        if parts.fragment and target.suffix == ".html":
            fragment = unquote(parts.fragment)
            if fragment not in self.ids(target):
                return f"no element with id {fragment!r} in {target.relative_to(self.root)}"
        return None

    def _file(self, path: str) -> Path | None:
        candidate = self.root / path
        if path == "" or path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        try:
            candidate.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None  # ../ above the site root
        return candidate if candidate.is_file() else None


def test_the_link_check_reports_missing_pages_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">X</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text("", encoding="utf-8")
    site = _Site(tmp_path)
    page = tmp_path / "index.html"
    assert site.check(page, "a/#x") is None
    assert site.check(page, "https://example.org/b/") is None
    assert site.check(page, "a/#y") == "no element with id 'y' in a/index.html"
    assert site.check(page, "b/") == "no file for /b/"
    assert site.check(page, SITE_URL + "b/") == "no file for /b/"
