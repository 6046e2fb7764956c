"""Benchmark: what the techplan plugin costs a MkDocs build, against the physical limit.

For each theme and each N it generates N realistic plans (every section filled, references to
spec pages by path and by spec id, every tenth plan superseding the one before) and measures,
alternating A and B (which goes first alternates too):

  (a) `mkdocs build` of the site with the plugin;
  (b) the limit: the same site with everything the plugin generated (each plan page's final
      Markdown, the index, spec pages with their backlinks, badges, plans.json, stylesheet,
      script) already written as ordinary files, and the plugin off;
  (c) the plugin's own time per plan, measured inside the process (its event handlers, and
      by stage: load, validate, model, references, cross-links, render, index + exports);
  (d) peak memory (max RSS) of (a) and (b), each build in its own process;
  (e) at the serve sizes: under `mkdocs serve --dirty`, the seconds from saving an edited
      plan to its page and the index showing the edit (benchmarks/measure_serve.py);
  and `mkdocs-techplan validate -f mkdocs.yml` on the site's plans.

Each size is measured with both plans navigations: `all` (every plan page in the site's
navigation, the default) and `index` (plan pages out of it; the limit (b) then leaves the same
pages out with `not_in_nav`). N = 5,000 is built with `index` only: with every page in the
navigation a build grows with the square of N (hours at 5,000).

Each build runs in a fresh process (benchmarks/measure_build.py). Figures are medians of the
runs; ratios are taken pair by pair, then their median.

Usage:  python benchmarks/bench_build.py [--sizes 100 1000] [--with-5000] [--runs 5]
        [--theme mkdocs|material|both] [--navigation all|index|both] [--serve-sizes 1000]
        [--json benchmarks/results/latest.json]
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
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # measure_serve, beside this script

import measure_serve  # noqa: E402

MEASURE = HERE / "measure_build.py"
TARGETS = {
    "build_ratio_max": 1.05,
    "plugin_ms_per_plan_max": 2.0,
    "linearity_max": 1.5,
    "memory_ratio_max": 1.15,
    "validate_seconds_max": 2.0,
    "scale_linearity_max": 1.3,
    "plans_navigation_ratio_max": 0.35,
    "serve_ratio_max": 0.10,
}
NAVIGATIONS = ("all", "index")
ALL_NAVIGATION_MAX_N = 1000
"""Above this, only `navigation: index` is built (see the module's docstring)."""
LIMIT_NOT_IN_NAV = "/plans/plan-*/*.md"
"""The limit site's `not_in_nav` for `navigation: index`: the plan pages, as the plugin does."""
TARGET_N = 1000
"""The size at which the build-time, plugin-time and validate targets are judged."""
STATUSES = ["Draft", "In Review", "Approved"]
STAGES = [
    "load", "validate", "model", "references", "cross-links", "render", "index + exports",
    "page_markdown", "other",
]  # fmt: skip


SENTENCES = [
    "Does one thing well.",
    "Keeps the session state in **Redis**, with a TTL of 30 minutes.",
    "Validates every request against the `OpenAPI` schema before it reaches a handler.",
    "Publishes events to the queue; consumers are idempotent.",
    "See [the runbook](https://example.com/runbook) for the failure modes.",
    "Reads are served from a replica, writes go to the primary.",
    "Retries with exponential back-off, at most 5 times.",
    "Owns the `billing_accounts` table and nothing else.",
]
NAMES = ["Token service", "Gateway", "Billing worker", "Search indexer", "Export API", "Scheduler"]
TASKS = [
    "Write the migration",
    "Add the endpoint and its tests",
    "Wire metrics into the dashboard",
    "Load test at twice the peak",
    "Update the runbook",
    "Remove the feature flag",
]


def make_plan(index: int, spec_count: int, rng: random.Random) -> dict[str, Any]:
    """A realistic plan: every section of the template filled, its text varied."""

    def sentences(count: int) -> str:
        return " ".join(rng.sample(SENTENCES, count))

    status = STATUSES[index % 3]
    spec = f"/specs/spec-{index % spec_count:04d}.md"
    plan: dict[str, Any] = {
        "title": f"Feature {index:05d}: {rng.choice(['sessions', 'billing', 'search', 'exports'])}",
        "version": f"1.{index % 12}",
        "status": status,
        "author": ["Ada Lovelace", "Grace Hopper"][: 1 + index % 2],
        "date": f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "specification": [spec, f"SPEC-{index % spec_count:04d}"] if index % 5 == 0 else spec,
        "summary": f"Plan number {index} changes **one** part of the platform. {sentences(1)}",
        "tags": rng.sample(["security", "backend", "frontend", "data", "payments"], 2),
        "architecture": {
            "overview": f"{sentences(2)}\n\n- {sentences(1)}\n- {sentences(1)}\n\n{sentences(2)}",
            "diagram": (
                "┌────────┐     ┌─────────┐     ┌──────────┐\n"
                "│ Client │────▶│ Gateway │────▶│ Services │\n"
                "└────────┘     └─────────┘     └──────────┘\n"
            ),
        },
        "components": [
            {
                "name": f"{rng.choice(NAMES)} {c}",
                "purpose": sentences(1),
                "responsibilities": [sentences(1) for _ in range(rng.randint(2, 4))],
                "interfaces": (
                    f"interface Service{c} {{\n"
                    "  get(id: string): Promise<Item>;\n"
                    "  put(item: Item): Promise<void>;\n"
                    "}\n"
                ),
                "dependencies": [{"name": "Database", "reason": sentences(1)}],
            }
            for c in range(rng.randint(2, 4))
        ],
        "data_model": {
            "schema_changes": (
                f"CREATE TABLE items_{index} (\n"
                "  id UUID PRIMARY KEY,\n"
                "  owner_id UUID NOT NULL REFERENCES accounts(id),\n"
                "  created_at TIMESTAMP NOT NULL DEFAULT now()\n"
                ");\n"
            ),
            "migrations": [
                {"file": f"{n:03d}_items_{index}.sql", "description": sentences(1)}
                for n in range(1, 3)
            ],
        },
        "api": {
            "endpoints": [
                {"method": m, "path": f"/api/v1/items/{{id}}/{index}", "purpose": sentences(1)}
                for m in ("GET", "POST", "PUT", "DELETE")
            ],
            "schemas": spec,
        },
        "phases": [
            {"name": n, "duration": d, "tasks": rng.sample(TASKS, 3)}
            for n, d in (("Foundation", "1 week"), ("Core", "2 weeks"), ("Polish", "3 days"))
        ],
        "testing": {
            "unit": {"coverage_target": 80, "focus": ["parsing", "error paths", "retries"]},
            "integration": ["API endpoint testing", "Database integration"],
            "e2e": ["Sign in, create an item, export it"],
            "performance": {"load": "1,000 rps for 10 minutes", "stress": "ramp to 5,000 rps"},
        },
        "security": {
            "authentication": "Tokens signed with Ed25519; see `auth/keys.py`.",
            "authorization": "Scopes checked by the gateway.",
            "data_protection": [
                {"item": "Sensitive data encrypted at rest", "done": True},
                "PII handling compliant",
            ],
            "input_validation": ["All inputs validated", {"item": "XSS prevented", "done": True}],
        },
        "performance": {
            "caching": sentences(1),
            "database": {
                "indexes": "items(owner_id, created_at)",
                "query_optimization": sentences(1),
            },
            "scalability": "Stateless services scale horizontally.",
        },
        "monitoring": {
            "metrics": [
                {"name": "latency_p99", "description": "99th percentile latency, per endpoint"},
                {"name": "error_rate", "description": "5xx responses per minute"},
            ],
            "logging": {"level": "INFO", "structured": True},
            "alerts": [
                {"condition": "error rate above 5% for 5 minutes", "action": "page on-call"}
            ],
        },
        "risks": [
            {
                "risk": rng.choice(["Outage", "Slow queries", "Data loss", "Cost overrun"]),
                "impact": rng.choice(["High", "Medium", "Low"]),
                "probability": rng.choice(["High", "Medium", "Low"]),
                "mitigation": sentences(1),
            }
            for _ in range(rng.randint(2, 4))
        ],
        "dependencies": [{"name": "Identity provider", "status": "done", "done": True}],
        "blockers": [{"blocker": "Test environment", "resolution": "shared from week 3"}],
        "rollback": ["Disable the feature flag", "Drain traffic", "Restore the backup"],
        "open_questions": [
            {"item": "Which region first?", "done": True},
            # An Approved plan has no open question left (the default status rules).
            {"item": "Do we need a data migration for old accounts?", "done": status == "Approved"},
        ],
        "revisions": [
            {
                "version": "1.0",
                "date": "2026-01-01",
                "author": "Ada Lovelace",
                "changes": "First plan",
            }
        ],
    }
    if index % 10 == 9:  # every tenth plan replaces the one before it
        plan["supersedes"] = f"../plan-{index - 1:05d}/plan.yaml"
    return plan


class _PlanDumper(yaml.SafeDumper):
    """Writes text with line breaks as `|` blocks, as authors write code and diagrams."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_PlanDumper.add_representer(str, _represent_text)


def plan_yaml(plan: dict[str, Any]) -> str:
    return yaml.dump(plan, Dumper=_PlanDumper, sort_keys=False, allow_unicode=True, width=100)


def generate_site(root: Path, count: int, theme: str, navigation: str = "all") -> Path:
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
        text = plan_yaml(make_plan(index, spec_count, rng))
        (folder / "plan.yaml").write_text(text, encoding="utf-8")
    techplan: Any = "techplan" if navigation == "all" else {"techplan": {"navigation": navigation}}
    config = {
        "site_name": f"Benchmark {count}",
        "theme": {"name": theme},
        "plugins": ["search", techplan],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def capture_limit_site(
    plugin_site: Path, limit_root: Path, theme: str, navigation: str = "all"
) -> Path:
    """The same site with what the plugin generated written as plain files, plugin off."""
    result = run_measure(plugin_site, capture=limit_root / "docs")
    if result["returncode"] != 0:
        raise SystemExit(f"capturing the generated site failed:\n{result['stderr']}")
    # Hand-written pages the plugin did not change are copied as they are; captured pages
    # (plans, index, specs with their backlinks) were written above and are not overwritten.
    for source in (plugin_site / "docs").rglob("*.md"):
        destination = limit_root / "docs" / source.relative_to(plugin_site / "docs")
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    config = {
        "site_name": "Limit",
        "theme": {"name": theme},
        "plugins": ["search"],
        # What the plugin adds to every page of (a): the same in (b).
        "extra_css": ["assets/techplan.css"],
        "extra_javascript": ["assets/techplan.js"],
    }
    if navigation == "index":
        config["not_in_nav"] = LIMIT_NOT_IN_NAV
    (limit_root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return limit_root


def run_measure(
    site: Path, *, capture: Path | None = None, plugin_only: bool = False
) -> dict[str, Any]:
    """One build in a fresh process; returns its wall time, plugin time and peak memory."""
    command = [sys.executable, str(MEASURE), str(site / "mkdocs.yml")]
    if capture is not None:
        command += ["--capture", str(capture)]
    if plugin_only:
        command += ["--plugin-only"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return {"returncode": done.returncode, "stderr": done.stderr[-4000:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["returncode"] = 0
    return result


def time_validate(site: Path, runs: int) -> float | None:
    """Median seconds of `mkdocs-techplan validate -f mkdocs.yml` on the site (the whole
    command, process start included), or None without the command."""
    executable = shutil.which("mkdocs-techplan", path=str(Path(sys.executable).parent))
    if executable is None:
        return None
    command = [executable, "validate", "-f", str(site / "mkdocs.yml")]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=site, env=env
        )
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(
                f"`{' '.join(command)}` failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
    return statistics.median(seconds)


def _median_per_plan(pairs: list[dict[str, Any]], key: str, count: int) -> dict[str, float]:
    names = {name for pair in pairs for name in pair["a"].get(key, {})}
    return {
        name: 1000 * statistics.median(pair["a"][key].get(name, 0.0) for pair in pairs) / count
        for name in sorted(names)
    }


def measure_size(
    count: int, runs: int, theme: str, workdir: Path, navigation: str = "all", serve: bool = False
) -> dict[str, Any]:
    name = f"{theme}-{navigation}-{count}"
    plugin_site = generate_site(workdir / f"plugin-{name}", count, theme, navigation)
    limit_site = capture_limit_site(plugin_site, workdir / f"limit-{name}", theme, navigation)
    if runs > 1:  # warm the file system cache for both before timing (capturing warmed (a))
        run_measure(plugin_site)
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
    b_phases = {
        phase: statistics.median(pair["b"]["mkdocs_phases"].get(phase, 0.0) for pair in pairs)
        for phase in sorted({p for pair in pairs for p in pair["b"]["mkdocs_phases"]})
    }
    b_seconds = statistics.median(pair["b"]["seconds"] for pair in pairs)
    b_phases["other (copying files, search index, events)"] = b_seconds - sum(b_phases.values())
    a_seconds = statistics.median(pair["a"]["seconds"] for pair in pairs)
    served = None
    if serve:
        served = measure_serve.measure_edit(plugin_site, workdir, dirty=True)
        served["ratio_to_full_build"] = served["edit_to_page_seconds"] / a_seconds
    return {
        "n": count,
        "theme": theme,
        "navigation": navigation,
        "runs": runs,
        "a_seconds": a_seconds,
        "a_ms_per_plan": 1000 * a_seconds / count,
        "serve": served,
        "b_seconds": b_seconds,
        "build_ratio": statistics.median(p["a"]["seconds"] / p["b"]["seconds"] for p in pairs),
        "plugin_ms_per_plan": statistics.median(
            1000 * pair["a"]["plugin_seconds"] / count for pair in pairs
        ),
        # Processor time of the processes a build forks to parse plans (not in the wall
        # time above when they run beside it), and the largest one's peak memory.
        "helper_cpu_ms_per_plan": statistics.median(
            1000 * pair["a"].get("helper_cpu_seconds", 0.0) / count for pair in pairs
        ),
        "helper_max_rss_mib": statistics.median(
            pair["a"].get("helper_max_rss_kib", 0) for pair in pairs
        )
        / 1024,
        "plugin_events_ms_per_plan": _median_per_plan(pairs, "plugin_events", count),
        "plugin_stages_ms_per_plan": _median_per_plan(pairs, "plugin_stages", count),
        "b_phases_seconds": b_phases,
        "a_max_rss_mib": statistics.median(pair["a"]["max_rss_kib"] for pair in pairs) / 1024,
        "b_max_rss_mib": statistics.median(pair["b"]["max_rss_kib"] for pair in pairs) / 1024,
        "memory_ratio": statistics.median(
            p["a"]["max_rss_kib"] / p["b"]["max_rss_kib"] for p in pairs
        ),
        "validate_seconds": time_validate(plugin_site, runs),
        "pairs": pairs,
    }


def measure_plugin_alone(count: int, runs: int, workdir: Path) -> dict[str, Any]:
    """The plugin's events alone on N plans, MkDocs' own work left out (see measure_build)."""
    site = workdir / f"alone-{count}"
    if not site.exists():
        generate_site(site, count, "mkdocs")
    results = []
    for _ in range(runs):
        result = run_measure(site, plugin_only=True)
        if result["returncode"] != 0:
            raise SystemExit(f"the plugin alone failed on N={count}:\n{result['stderr']}")
        results.append({"a": result})
    return {
        "n": count,
        "runs": runs,
        "plugin_ms_per_plan": statistics.median(
            1000 * result["a"]["plugin_seconds"] / count for result in results
        ),
        "plugin_stages_ms_per_plan": _median_per_plan(results, "plugin_stages", count),
        "max_rss_mib": statistics.median(r["a"]["max_rss_kib"] for r in results) / 1024,
    }


def verdicts(rows: list[dict[str, Any]], alone: list[dict[str, Any]]) -> list[str]:
    """MET / NOT MET for every target; a target not met says why, with the figures."""
    lines = []
    for row in rows:
        label = f"N={row['n']} {row['theme']} navigation {row['navigation']}"
        if row["n"] == TARGET_N:
            lines += _target_size_verdicts(row, label)
        line = _verdict(
            f"{label}: peak memory (a)/(b)", row["memory_ratio"], TARGETS["memory_ratio_max"]
        )
        if row["memory_ratio"] > TARGETS["memory_ratio_max"]:
            extra = row["a_max_rss_mib"] - row["b_max_rss_mib"]
            line += f"; (a) used {extra:.1f} MiB more than (b)"
        lines.append(line)
        if row.get("serve"):
            served = row["serve"]
            line = _verdict(
                f"{label}: serve --dirty, edit to page and index / full build",
                served["ratio_to_full_build"],
                TARGETS["serve_ratio_max"],
            )
            lines.append(
                line + f" ({served['edit_to_page_seconds']:.2f} s after saving; the full build "
                f"{row['a_seconds']:.2f} s)"
            )
    lines += _scale_verdicts(rows, alone)
    if not any(row["n"] == TARGET_N for row in rows):
        lines.append(f"NOT MEASURED  the time targets are judged at N={TARGET_N}")
    return lines


def _target_size_verdicts(row: dict[str, Any], label: str) -> list[str]:
    lines = []
    ratio = row["build_ratio"]
    line = _verdict(f"{label}: build time (a)/(b)", ratio, TARGETS["build_ratio_max"])
    if ratio > TARGETS["build_ratio_max"]:
        plugin = row["plugin_ms_per_plan"] * row["n"] / 1000
        gap = row["a_seconds"] - row["b_seconds"]
        line += (
            f"; (a) took {gap:.2f} s more than (b), of which {plugin:.2f} s inside the "
            "plugin; the rest is MkDocs handling the plugin's generated files and timing noise"
        )
    lines.append(line)
    line = _verdict(
        f"{label}: plugin ms per plan", row["plugin_ms_per_plan"], TARGETS["plugin_ms_per_plan_max"]
    )
    if row["plugin_ms_per_plan"] > TARGETS["plugin_ms_per_plan_max"]:
        stages = row["plugin_stages_ms_per_plan"]
        worst = sorted(stages.items(), key=lambda item: -item[1])[:3]
        line += "; most of it: " + ", ".join(f"{name} {ms:.3f} ms" for name, ms in worst)
    lines.append(line)
    if row["validate_seconds"] is None:
        lines.append(f"NOT MEASURED  {label}: the validate command is not available")
    else:
        lines.append(
            _verdict(
                f"{label}: validate seconds",
                row["validate_seconds"],
                TARGETS["validate_seconds_max"],
            )
        )
    return lines


def _scale_verdicts(rows: list[dict[str, Any]], alone: list[dict[str, Any]]) -> list[str]:
    """How cost per plan grows with N: the plugin's own (target linearity_max), the whole
    build's with the plans navigation (target scale_linearity_max; with every plan in the
    navigation it is reported, not judged: it grows with N by design); and the whole build
    with the plans navigation against the limit with every page in the navigation."""
    lines = []
    keys = sorted({(row["theme"], row["navigation"]) for row in rows})
    for theme, navigation in keys:
        same = [row for row in rows if row["theme"] == theme and row["navigation"] == navigation]
        by_n = {row["n"]: row for row in same}
        largest = max(by_n, default=0)
        if 100 not in by_n or largest <= 100:
            continue
        label = f"{theme} navigation {navigation}"
        ratio = by_n[largest]["plugin_ms_per_plan"] / by_n[100]["plugin_ms_per_plan"]
        lines.append(
            _verdict(
                f"{label}: plugin cost per plan, N={largest} / N=100",
                ratio,
                TARGETS["linearity_max"],
            )
        )
        for size in sorted(n for n in by_n if n > 100):
            ratio = by_n[size]["a_ms_per_plan"] / by_n[100]["a_ms_per_plan"]
            name = f"{label}: whole build per plan, N={size} / N=100"
            if navigation == "index":
                lines.append(_verdict(name, ratio, TARGETS["scale_linearity_max"]))
            else:
                lines.append(
                    f"INFO     {name} = {ratio:.3f} (the theme writes every page's link "
                    "into every page)"
                )
    by_n = {row["n"]: row for row in alone}
    largest = max(by_n, default=0)
    if 100 in by_n and largest > 100:
        ratio = by_n[largest]["plugin_ms_per_plan"] / by_n[100]["plugin_ms_per_plan"]
        lines.append(
            _verdict(
                f"plugin alone: plugin cost per plan, N={largest} / N=100",
                ratio,
                TARGETS["linearity_max"],
            )
        )
    for theme in sorted({row["theme"] for row in rows}):
        index = _row(rows, theme, "index", TARGET_N)
        every = _row(rows, theme, "all", TARGET_N)
        if index is None or every is None:
            continue
        ratio = index["a_seconds"] / every["b_seconds"]
        name = (
            f"N={TARGET_N} {theme}: build with navigation index / plain pages all in the navigation"
        )
        if theme == "material":
            lines.append(_verdict(name, ratio, TARGETS["plans_navigation_ratio_max"]))
        else:
            lines.append(f"INFO     {name} = {ratio:.3f} (the target is judged on Material)")
    return lines


def _row(rows: list[dict[str, Any]], theme: str, navigation: str, n: int) -> dict[str, Any] | None:
    found = [r for r in rows if (r["theme"], r["navigation"], r["n"]) == (theme, navigation, n)]
    return found[0] if found else None


def _verdict(label: str, value: float, limit: float) -> str:
    return (
        f"{'MET    ' if value <= limit else 'NOT MET'}  {label} = {value:.3f} (target <= {limit})"
    )


def table(rows: list[dict[str, Any]]) -> list[str]:
    header = (
        f"{'theme':9} {'nav':5} {'N':>5} {'(a) s':>8} {'(a) ms/plan':>11} {'(b) s':>8} "
        f"{'a/b':>6} {'plugin ms/plan':>15} {'(a) MiB':>8} {'(b) MiB':>8} {'mem a/b':>8} "
        f"{'validate s':>11} {'serve s':>8} {'helpers ms/plan, MiB':>21}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        validate = "-" if row["validate_seconds"] is None else f"{row['validate_seconds']:.2f}"
        served = row.get("serve")
        serve = "-" if not served else f"{served['edit_to_page_seconds']:.2f}"
        lines.append(
            f"{row['theme']:9} {row['navigation']:5} {row['n']:>5} {row['a_seconds']:>8.2f} "
            f"{row['a_ms_per_plan']:>11.2f} {row['b_seconds']:>8.2f} "
            f"{row['build_ratio']:>6.3f} {row['plugin_ms_per_plan']:>15.3f} "
            f"{row['a_max_rss_mib']:>8.1f} {row['b_max_rss_mib']:>8.1f} "
            f"{row['memory_ratio']:>8.3f} {validate:>11} {serve:>8} "
            f"{row.get('helper_cpu_ms_per_plan', 0.0):>12.3f}, "
            f"{row.get('helper_max_rss_mib', 0.0):>6.1f}"
        )
    return lines


def stage_table(rows: list[dict[str, Any]]) -> list[str]:
    """The plugin's time per plan by stage (ms), median of the runs."""
    widths = [max(8, len(name)) for name in STAGES]
    header = f"{'':14} {'N':>5} {'total':>8} " + " ".join(
        f"{name:>{width}}" for name, width in zip(STAGES, widths, strict=True)
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        stages = row["plugin_stages_ms_per_plan"]
        label = f"{row['theme']} {row['navigation']}" if "theme" in row else "plugin alone"
        lines.append(
            f"{label:14} {row['n']:>5} {row['plugin_ms_per_plan']:>8.3f} "
            + " ".join(
                f"{stages.get(name, 0.0):>{width}.3f}"
                for name, width in zip(STAGES, widths, strict=True)
            )
        )
    return lines


def phase_table(rows: list[dict[str, Any]]) -> list[str]:
    """Where the limit build (b) spends its time, in seconds."""
    phases = list(dict.fromkeys(name for row in rows for name in row["b_phases_seconds"]))
    lines = []
    for row in rows:
        parts = ", ".join(f"{name} {row['b_phases_seconds'].get(name, 0.0):.2f}" for name in phases)
        lines.append(
            f"{row['theme']:9} {row['navigation']:5} {row['n']:>5}  (b) {row['b_seconds']:.2f} s: "
            f"{parts}"
        )
    return lines


def describe_machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "PyYAML", "Jinja2", "Markdown"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "versions": versions,
    }


def compile_package() -> None:
    """The plugin's modules compiled to bytecode, as `pip install` leaves them.

    An editable install (as here) compiles them on first import and keeps the bytecode; with
    PYTHONDONTWRITEBYTECODE set, or a read-only checkout, every measured process would compile
    the plugin's source again (about 0.08 s), a cost no installed copy has."""
    import compileall

    import mkdocs_techplan

    compileall.compile_dir(str(Path(mkdocs_techplan.__file__).parent), quiet=1)


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--with-5000", action="store_true", help="also measure N = 5,000")
    parser.add_argument("--runs", type=int, default=5, help="A/B pairs per size (median reported)")
    parser.add_argument("--theme", choices=["mkdocs", "material", "both"], default="both")
    parser.add_argument(
        "--navigation",
        choices=[*NAVIGATIONS, "both"],
        default="both",
        help="the plugin's `navigation` option: every plan in the navigation, or the index",
    )
    parser.add_argument(
        "--serve-sizes",
        type=int,
        nargs="*",
        default=[TARGET_N],
        help="sizes at which an edit under `mkdocs serve --dirty` is also timed",
    )
    parser.add_argument(
        "--alone-sizes",
        type=int,
        nargs="*",
        default=[100, 1000, 5000],
        help="sizes at which the plugin's events are also timed alone, without a build "
        "(quick even at 5,000: judges whether its cost grows linearly)",
    )
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([5000] if args.with_5000 else [])))
    themes = ["mkdocs", "material"] if args.theme == "both" else [args.theme]
    navigations = list(NAVIGATIONS) if args.navigation == "both" else [args.navigation]
    compile_package()
    machine = describe_machine()
    load_before = _load()
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="techplan-bench-") as temp:
        for theme in themes:
            for count in sizes:
                for navigation in navigations:
                    if navigation == "all" and count > ALL_NAVIGATION_MAX_N:
                        print(
                            f"skipping N={count} on {theme} with navigation all: with every "
                            "page in the navigation the build grows with the square of N",
                            file=sys.stderr,
                        )
                        continue
                    print(
                        f"measuring N={count} on {theme}, navigation {navigation} "
                        f"({args.runs} A/B pairs)...",
                        file=sys.stderr,
                    )
                    serve = count in args.serve_sizes
                    rows.append(
                        measure_size(count, args.runs, theme, Path(temp), navigation, serve)
                    )
        alone = []
        for count in sorted(set(args.alone_sizes)):
            print(f"timing the plugin alone on N={count}...", file=sys.stderr)
            alone.append(measure_plugin_alone(count, args.runs, Path(temp)))
    machine["load_average_before"] = load_before
    machine["load_average_after"] = _load()
    summary = (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, "
        f"{machine['system']}, Python {machine['python']}, MkDocs {machine['versions']['mkdocs']}, "
        f"Material {machine['versions']['mkdocs-material']}; load average before "
        f"{load_before}, after {machine['load_average_after']}"
    )
    lines = [
        f"machine: {summary}",
        f"median of {args.runs} A/B pairs per row; (a) with the plugin, (b) the limit: its output "
        "as plain files, plugin off; nav: the plugin's `navigation` (index: plan pages out of the "
        "navigation in (a), and by `not_in_nav` in (b)); serve s: edit saved to page and index "
        "shown under `mkdocs serve --dirty`",
        "",
        *table(rows),
        "",
        "plugin ms per plan, by stage (in the builds above; alone: its events only, no build):",
        *stage_table(rows + alone),
        "",
        "where the limit build's time goes (seconds):",
        *phase_table(rows),
        "",
        *verdicts(rows, alone),
    ]
    print("\n".join(lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "command": " ".join(["python", "benchmarks/bench_build.py", *(argv or sys.argv[1:])]),
        "seconds": time.perf_counter() - started,
        "machine": machine,
        "targets": TARGETS,
        "rows": rows,
        "plugin_alone": alone,
        "printed": lines,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
