"""The benchmark script keeps working: a run at N = 10, both navigations, an edit under
`mkdocs serve --dirty` (no timings are asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_the_benchmark_runs_at_n_10_on_both_themes(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable, str(REPO / "benchmarks" / "bench_build.py"),
            "--sizes", "10", "--runs", "1", "--alone-sizes", "10", "--serve-sizes", "10",
            "--json", str(output),
        ],
        capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(output.read_text(encoding="utf-8"))
    assert [(row["theme"], row["navigation"], row["n"]) for row in report["rows"]] == [
        ("mkdocs", "all", 10), ("mkdocs", "index", 10),
        ("material", "all", 10), ("material", "index", 10),
    ]  # fmt: skip
    for row in report["rows"]:
        # The edit was seen on the served plan page and index (measure_serve polls for it).
        assert row["serve"]["edit_to_page_seconds"] > 0
        assert row["plugin_ms_per_plan"] > 0
        assert row["validate_seconds"] is not None
        # Both builds made the same pages: the limit site is the plugin's output.
        assert row["pairs"][0]["a"]["plugin_stages"]["render"] > 0
        assert row["b_phases_seconds"]["Markdown to HTML"] > 0
    assert [row["n"] for row in report["plugin_alone"]] == [10]
    assert report["printed"] == done.stdout.split("\nfigures written to")[0].splitlines()
    assert "plugin ms/plan" in done.stdout
    assert "NOT MEASURED  the time targets are judged at N=1000" in done.stdout


def test_the_limit_site_holds_the_pages_the_plugin_makes(tmp_path: Path) -> None:
    """The limit (b) is the plugin's output as plain files: a plan page's HTML blocks, which
    stand as one word in the page's Markdown until MkDocs has converted it, are in the file."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench_build

    site = bench_build.generate_site(tmp_path / "plugin", 10, "mkdocs")
    limit = bench_build.capture_limit_site(site, tmp_path / "limit", "mkdocs")
    page = (limit / "docs" / "plans" / "plan-00001" / "index.md").read_text(encoding="utf-8")
    assert "techplanblock" not in page
    assert 'class="techplan-timeline' in page and 'class="techplan-risk' in page
