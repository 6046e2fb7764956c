"""Benchmark: what the techplan plugin costs a MkDocs build, against the physical limit.

For each N it generates N realistic plans (every section filled, references to specs, some
supersedes) and measures, alternating A and B several times:

  (a) `mkdocs build` of the site with the plugin;
  (b) the limit: the same site with each plan's generated Markdown already written as
      ordinary `.md` pages and the plugin off (Markdown captured from a build with the plugin);
  (c) the plugin's own time per plan, measured inside the process (time spent in the
      plugin's event handlers);
  (d) peak memory (max RSS) of (a) and (b), each build in its own process;
  and `mkdocs-techplan validate` on the plans (when the command exists).

Usage:  python benchmarks/bench_build.py [--sizes 100 1000] [--with-5000] [--runs 5]
        [--theme mkdocs|material|both] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MEASURE = HERE / "measure_build.py"
TARGETS = {
    "build_ratio_max": 1.05,
    "plugin_ms_per_plan_max": 1.0,
    "linearity_max": 1.5,
    "memory_ratio_max": 1.10,
    "validate_seconds_max": 2.0,
}
STATUSES = ["Draft", "In Review", "Approved"]


def make_plan(index: int, spec_count: int, rng: random.Random) -> dict[str, Any]:
    """A realistic plan: every section of the template filled."""
    status = STATUSES[index % 3]
    spec = f"/specs/spec-{index % spec_count:04d}.md"
    plan: dict[str, Any] = {
        "title": f"Feature {index:05d}: {rng.choice(['sessions', 'billing', 'search', 'exports'])}",
        "version": f"1.{index % 12}",
        "status": status,
        "author": ["Ada Lovelace", "Grace Hopper"][: 1 + index % 2],
        "date": f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "specification": [spec, f"SPEC-{index % spec_count:04d}"] if index % 5 == 0 else spec,
        "summary": f"Plan number {index} changes **one** part of the platform.",
        "tags": [rng.choice(["security", "backend", "frontend", "data"])],
        "architecture": {
            "overview": "Clients call the **gateway**, which routes to services.\n\nA second paragraph.",
            "diagram": "┌────────┐     ┌────────┐\n│ Client │────▶│ Server │\n└────────┘     └────────┘\n",
        },
        "components": [
            {
                "name": f"Component {c}",
                "purpose": "Does one thing well.",
                "responsibilities": ["Accept requests", "Validate input", "Store results"],
                "interfaces": "interface Service {\n  call(id: string): Promise<Result>;\n}\n",
                "dependencies": [{"name": "Database", "reason": "keeps state"}],
            }
            for c in range(3)
        ],
        "data_model": {
            "schema_changes": "CREATE TABLE t (\n  id UUID PRIMARY KEY,\n  created_at TIMESTAMP\n);\n",
            "migrations": [{"file": "001_create.sql", "description": "Create table"}],
        },
        "api": {
            "endpoints": [
                {"method": m, "path": "/api/v1/items", "purpose": "Handle items"}
                for m in ("GET", "POST", "PUT", "DELETE")
            ],
            "schemas": spec,
        },
        "phases": [
            {"name": n, "duration": d, "tasks": ["First task", "Second task", "Third task"]}
            for n, d in (("Foundation", "1 week"), ("Core", "2 weeks"), ("Polish", "3 days"))
        ],
        "testing": {
            "unit": {"coverage_target": 80, "focus": ["parsing", "errors"]},
            "integration": ["API endpoint testing", "Database integration"],
            "e2e": ["Critical user flows"],
            "performance": {"load": "1,000 rps for 10 minutes", "stress": "ramp to 5,000 rps"},
        },
        "security": {
            "authentication": "Tokens signed with Ed25519.",
            "authorization": "Scopes checked by the gateway.",
            "data_protection": [{"item": "Sensitive data encrypted", "done": True}, "PII handling compliant"],
            "input_validation": ["All inputs validated", {"item": "XSS prevented", "done": True}],
        },
        "performance": {
            "caching": "Responses cached for 30 seconds.",
            "database": {"indexes": "t(id)", "query_optimization": "primary-key look-ups"},
            "scalability": "Stateless services scale horizontally.",
        },
        "monitoring": {
            "metrics": [{"name": "latency_p99", "description": "99th percentile latency"}],
            "logging": {"level": "INFO", "structured": True},
            "alerts": [{"condition": "error rate above 5%", "action": "page on-call"}],
        },
        "risks": [
            {"risk": "Outage", "impact": "High", "probability": "Low", "mitigation": "replicas"},
            {"risk": "Slow queries", "impact": "Medium", "probability": "Medium", "mitigation": "indexes"},
        ],
        "dependencies": [{"name": "Identity provider", "status": "done", "done": True}],
        "blockers": [{"blocker": "Test environment", "resolution": "shared from week 3"}],
        "rollback": ["Disable the feature flag", "Drain traffic", "Restore the backup"],
        "open_questions": [{"item": "Which region first?", "done": True}],
        "revisions": [{"version": "1.0", "date": "2026-01-01", "author": "Ada Lovelace", "changes": "Initial plan"}],
    }
    if index % 10 == 9:  # every tenth plan replaces the one before it
        plan["supersedes"] = f"../plan-{index - 1:05d}/plan.yaml"
    return plan


def generate_site(root: Path, count: int, theme: str) -> Path:
    """A site with `count` plans and one spec page per ten plans."""
    rng = random.Random(count)
    docs = root / "docs"
    (docs / "specs").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    spec_count = max(1, count // 10)
    for index in range(spec_count):
        (docs / "specs" / f"spec-{index:04d}.md").write_text(
            f"---\nspec_id: SPEC-{index:04d}\n---\n\n# Spec {index}\n\nText.\n", encoding="utf-8"
        )
    for index in range(count):
        folder = docs / "plans" / f"plan-{index:05d}"
        folder.mkdir(parents=True)
        text = yaml.safe_dump(make_plan(index, spec_count, rng), sort_keys=False, allow_unicode=True)
        (folder / "plan.yaml").write_text(text, encoding="utf-8")
    config = {"site_name": f"Benchmark {count}", "theme": {"name": theme}, "plugins": ["search", "techplan"]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def capture_limit_site(plugin_site: Path, limit_root: Path, theme: str) -> Path:
    """The same site with each plan's generated Markdown written as plain pages, plugin off."""
    result = run_measure(plugin_site, capture=limit_root / "docs")
    if result["returncode"] != 0:
        raise SystemExit(f"capturing the generated Markdown failed:\n{result['stderr']}")
    # Hand-written pages the plugin did not change are copied as they are; captured pages
    # (plans, index, specs with their backlinks) were written above and are not overwritten.
    for source in (plugin_site / "docs").rglob("*.md"):
        destination = limit_root / "docs" / source.relative_to(plugin_site / "docs")
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    config = {"site_name": "Limit", "theme": {"name": theme}, "plugins": ["search"]}
    (limit_root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return limit_root


def run_measure(site: Path, *, capture: Path | None = None) -> dict[str, Any]:
    """One build in a fresh process; returns its wall time, plugin time and peak memory."""
    command = [sys.executable, str(MEASURE), str(site / "mkdocs.yml")]
    if capture is not None:
        command += ["--capture", str(capture)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return {"returncode": done.returncode, "stderr": done.stderr[-4000:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["returncode"] = 0
    return result


def time_validate(site: Path) -> float | None:
    """Seconds for `mkdocs-techplan validate` on the site's plans, or None without the command."""
    executable = shutil.which("mkdocs-techplan", path=str(Path(sys.executable).parent))
    if executable is None:
        return None
    help_text = subprocess.run([executable, "--help"], capture_output=True, text=True).stdout
    if "validate" not in help_text:
        return None
    started = time.perf_counter()
    subprocess.run(
        [executable, "validate", "-f", str(site / "mkdocs.yml")],
        capture_output=True, text=True, check=False, cwd=site,
    )
    return time.perf_counter() - started


def measure_size(count: int, runs: int, theme: str, workdir: Path) -> dict[str, Any]:
    plugin_site = generate_site(workdir / f"plugin-{theme}-{count}", count, theme)
    limit_site = capture_limit_site(plugin_site, workdir / f"limit-{theme}-{count}", theme)
    run_measure(plugin_site)  # warm the file system cache for both before timing
    run_measure(limit_site)
    pairs = []
    for run in range(runs):
        order = [("a", plugin_site), ("b", limit_site)]
        if run % 2:
            order.reverse()  # alternate which goes first
        results = {label: run_measure(site) for label, site in order}
        for label, result in results.items():
            if result["returncode"] != 0:
                raise SystemExit(f"build {label} failed:\n{result['stderr']}")
        pairs.append(results)
    build_ratios = [p["a"]["seconds"] / p["b"]["seconds"] for p in pairs]
    memory_ratios = [p["a"]["max_rss_kib"] / p["b"]["max_rss_kib"] for p in pairs]
    plugin_ms = [1000 * p["a"]["plugin_seconds"] / count for p in pairs]
    return {
        "n": count,
        "theme": theme,
        "runs": runs,
        "a_seconds": statistics.median(p["a"]["seconds"] for p in pairs),
        "b_seconds": statistics.median(p["b"]["seconds"] for p in pairs),
        "build_ratio": statistics.median(build_ratios),
        "plugin_ms_per_plan": statistics.median(plugin_ms),
        "plugin_breakdown_ms_per_plan": {
            event: 1000 * statistics.median(p["a"]["plugin_events"].get(event, 0.0) for p in pairs) / count
            for event in sorted({e for p in pairs for e in p["a"]["plugin_events"]})
        },
        "a_max_rss_mib": statistics.median(p["a"]["max_rss_kib"] for p in pairs) / 1024,
        "b_max_rss_mib": statistics.median(p["b"]["max_rss_kib"] for p in pairs) / 1024,
        "memory_ratio": statistics.median(memory_ratios),
        "validate_seconds": time_validate(plugin_site),
    }


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in rows:
        label = f"N={row['n']} {row['theme']}"
        if row["n"] == 1000:
            lines.append(_verdict(f"{label}: build (a)/(b)", row["build_ratio"], TARGETS["build_ratio_max"]))
            lines.append(_verdict(f"{label}: plugin ms/plan", row["plugin_ms_per_plan"], TARGETS["plugin_ms_per_plan_max"]))
            if row["validate_seconds"] is not None:
                lines.append(_verdict(f"{label}: validate seconds", row["validate_seconds"], TARGETS["validate_seconds_max"]))
            else:
                lines.append(f"NOT MEASURED  {label}: validate command not available")
        lines.append(_verdict(f"{label}: peak memory (a)/(b)", row["memory_ratio"], TARGETS["memory_ratio_max"]))
    for theme in sorted({row["theme"] for row in rows}):
        by_n = {row["n"]: row for row in rows if row["theme"] == theme}
        largest = max(by_n)
        if 100 in by_n and largest > 100:
            ratio = by_n[largest]["plugin_ms_per_plan"] / by_n[100]["plugin_ms_per_plan"]
            lines.append(_verdict(f"{theme}: per-plan cost N={largest} / N=100", ratio, TARGETS["linearity_max"]))
    return lines


def _verdict(label: str, value: float, limit: float) -> str:
    return f"{'MET    ' if value <= limit else 'NOT MET'}  {label} = {value:.3f} (target <= {limit})"


def print_table(rows: list[dict[str, Any]]) -> None:
    header = f"{'theme':9} {'N':>6} {'(a) s':>8} {'(b) s':>8} {'a/b':>6} {'plugin ms/plan':>15} {'(a) MiB':>8} {'(b) MiB':>8} {'mem a/b':>8} {'validate s':>11}"
    print(header)
    print("-" * len(header))
    for row in rows:
        validate = "-" if row["validate_seconds"] is None else f"{row['validate_seconds']:.2f}"
        print(
            f"{row['theme']:9} {row['n']:>6} {row['a_seconds']:>8.2f} {row['b_seconds']:>8.2f} "
            f"{row['build_ratio']:>6.3f} {row['plugin_ms_per_plan']:>15.3f} {row['a_max_rss_mib']:>8.1f} "
            f"{row['b_max_rss_mib']:>8.1f} {row['memory_ratio']:>8.3f} {validate:>11}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--with-5000", action="store_true", help="also measure N = 5,000")
    parser.add_argument("--runs", type=int, default=5, help="A/B pairs per size (median reported)")
    parser.add_argument("--theme", choices=["mkdocs", "material", "both"], default="both")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([5000] if args.with_5000 else [])))
    themes = ["mkdocs", "material"] if args.theme == "both" else [args.theme]
    rows = []
    with tempfile.TemporaryDirectory(prefix="techplan-bench-") as temp:
        for theme in themes:
            for count in sizes:
                print(f"measuring N={count} on {theme} ({args.runs} A/B pairs)...", file=sys.stderr)
                rows.append(measure_size(count, args.runs, theme, Path(temp)))
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"\nmachine: {machine}")
    print_table(rows)
    print()
    lines = verdicts(rows)
    print("\n".join(lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": machine, "targets": TARGETS, "rows": rows, "verdicts": lines}, indent=2) + "\n")
    print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
