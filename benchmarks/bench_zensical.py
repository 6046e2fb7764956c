"""Benchmark: what the techplan extension costs a Zensical build.

For each N it generates the same sites as `bench_build.py` (N realistic plans, a spec page per
ten plans), runs `mkdocs-techplan pages` once, then times `zensical build` of the docs folder
alternately (which goes first alternates too):

  (a) with `mkdocs_techplan.zensical` in `markdown_extensions` (backlinks, listings,
      sanitizing, the site read through the build core once);
  (b) the same docs folder, written pages included, without the extension.

Each build runs in a fresh process with `--clean`; the ratio is taken pair by pair, then its
median; the lowest and highest of the pairs are shown beside it, as a build's time drifts by a
second within minutes on a shared machine. This is the documented workflow, `pages` then
`zensical build`: the extension uses the plans `pages` parsed (kept in the user's cache
folder, which `--clean` does not empty) for every plan file unchanged since. `--config
other.yml` is passed in both, as `zensical build -f` does: the extension must read the
configuration it is given (a build where it stays idle would look free).

Usage:  python benchmarks/bench_zensical.py [--sizes 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import compile_package, generate_site  # the benchmark's own

BIN = Path(sys.executable).parent
TARGET = 1.05
"""The ratio a build with the extension may take of the same build without it."""


def prepare(root: Path, count: int, with_extension: bool) -> Path:
    """A site of `count` plans with its pages written; `other.yml` lists the extension or not."""
    generate_site(root, count, "material")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(extra_css=["assets/techplan.css"], extra_javascript=["assets/techplan.js"])
    config["markdown_extensions"] = ["toc", "tables", "attr_list", "md_in_html"]
    if with_extension:
        config["markdown_extensions"].insert(0, "mkdocs_techplan.zensical")
    (root / "mkdocs.yml").unlink()
    other = root / "other.yml"
    other.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "mkdocs-techplan"), "pages", "-f", str(other)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode not in (0, 1):  # 1: the generated plans' own problems
        raise SystemExit(done.stderr[-2000:])
    return other


def build_seconds(root: Path, config: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "zensical"), "build", "--clean", "-f", str(config)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    return seconds


def measure(count: int, runs: int, workdir: Path) -> dict[str, float]:
    with_root, without_root = workdir / f"with-{count}", workdir / f"without-{count}"
    with_config = prepare(with_root, count, with_extension=True)
    without_config = prepare(without_root, count, with_extension=False)
    build_seconds(with_root, with_config)  # warm both: Zensical's caches, the OS's
    build_seconds(without_root, without_config)
    ratios, with_times, without_times = [], [], []
    for run in range(runs):
        order = [(with_root, with_config), (without_root, without_config)]
        if run % 2:
            order.reverse()
        times = {root: build_seconds(root, config) for root, config in order}
        with_times.append(times[with_root])
        without_times.append(times[without_root])
        ratios.append(times[with_root] / times[without_root])
    return {
        "with": statistics.median(with_times),
        "without": statistics.median(without_times),
        "ratio": statistics.median(ratios),
        "lowest": min(ratios),
        "highest": max(ratios),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[300])
    parser.add_argument("--runs", type=int, default=3, help="A/B pairs per size")
    args = parser.parse_args(argv)
    if shutil.which("zensical", path=str(BIN)) is None:
        print("zensical is not installed here (pip install zensical)", file=sys.stderr)
        return 2
    compile_package()
    missed = 0
    # Zensical's speed changes between versions: the figures say which one they are of.
    print(f"Zensical {metadata.version('zensical')}, Python {platform.python_version()}")
    print(
        f"{'N':>6} {'with (s)':>9} {'without (s)':>12} {'ratio':>7} {'pairs':>13}  target {TARGET}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for count in args.sizes:
            figures = measure(count, args.runs, Path(folder))
            verdict = "ok" if figures["ratio"] <= TARGET else "NOT MET"
            missed += verdict != "ok"
            print(
                f"{count:>6} {figures['with']:>9.2f} {figures['without']:>12.2f} "
                f"{figures['ratio']:>7.3f} {figures['lowest']:>6.3f}-{figures['highest']:<6.3f}"
                f"  {verdict}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
