"""Benchmark: what relations between plans cost a build.

For each N it generates the sites of `bench_build.py` (N realistic plans, a spec page per ten
plans), gives every plan an id, then builds two copies alternately (which goes first
alternates too), in one process after a build of each to warm it (what both builds share,
starting Python and importing MkDocs, is left out: on a busy machine it is most of the
noise), counting the CPU time the build takes (the wall clock counts what other work on
the machine takes too):

  (a) every plan also `depends_on` one or two earlier plans, `extends` one now and then, and
      is `related` to another: each page shows the header lines of both sides and its graph,
      and `plans/graph/` draws them all;
  (b) the same plans without relations (no graph on any page; `plans/graph/` lists them).

The ratio (a)/(b) is taken pair by pair, then its median. Target: 1.05.

Usage:  python benchmarks/bench_relations.py [--sizes 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import generate_site  # the benchmark's own site generator

TARGET = 1.05
"""The ratio a build with relations may take of the same build without them."""


def prepare(root: Path, count: int, relations: bool) -> Path:
    """A site of `count` plans with ids, related (`relations`) or not."""
    generate_site(root, count, "mkdocs")
    rng = random.Random(count)
    plans = sorted((root / "docs" / "plans").glob("*/plan.yaml"))
    for index, path in enumerate(plans):
        lines = [f"id: P-{index:05d}"]
        if relations and index:
            earlier = rng.sample(range(index), min(index, rng.choice((1, 2))))
            lines.append("depends_on: [" + ", ".join(f"P-{n:05d}" for n in earlier) + "]")
            if index % 7 == 0:
                lines.append(f"extends: [P-{rng.randrange(index):05d}]")
            if index % 3 == 0:
                lines.append(f"related: [P-{rng.randrange(index):05d}]")
        with path.open("a", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n")
    return root


def build_seconds(root: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    # CPU time of this process: the build is single-threaded and CPU-bound, and on a shared
    # machine the wall clock also counts the time other work took the core.
    started = time.process_time()
    build(config)
    return time.process_time() - started


def measure(count: int, runs: int, workdir: Path) -> dict[str, float]:
    related = prepare(workdir / f"related-{count}", count, relations=True)
    plain = prepare(workdir / f"plain-{count}", count, relations=False)
    build_seconds(related), build_seconds(plain)  # warm: imports, compiled templates
    with_times, without_times, ratios = [], [], []
    for run in range(runs):
        if run % 2 == 0:
            a, b = build_seconds(related), build_seconds(plain)
        else:
            b, a = build_seconds(plain), build_seconds(related)
        with_times.append(a)
        without_times.append(b)
        ratios.append(a / b)
    return {
        "with": statistics.median(with_times),
        "without": statistics.median(without_times),
        "ratio": statistics.median(ratios),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200])
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the generated plans' own notes
    print(f"{'N':>6} {'related (s)':>12} {'plain (s)':>10} {'ratio':>7}  target {TARGET}")
    failed = False
    with tempfile.TemporaryDirectory() as work:
        for count in args.sizes:
            row = measure(count, args.runs, Path(work))
            met = row["ratio"] <= TARGET
            failed |= not met
            print(
                f"{count:>6} {row['with']:>12.2f} {row['without']:>10.2f} {row['ratio']:>7.3f}  "
                + ("met" if met else "NOT MET")
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
