"""Benchmark of a build, run by hand (never by CI): prints times and peak memory.

    .venv/bin/python bench/bench_build.py [TERRITORY] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from generator.build import FORMATS, build


def timed(territory: str | None, formats: list[str], repeat: int) -> float:
    """Median wall time of `repeat` builds into a fresh folder."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            build(territory, formats=formats, out=Path(out))
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("territory", nargs="?")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'outputs':<28}{'median s':>10}")
    print(f"{'all formats':<28}{timed(args.territory, list(FORMATS), args.repeat):>10.2f}")
    for fmt in FORMATS:
        print(f"{fmt:<28}{timed(args.territory, [fmt], args.repeat):>10.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB (this process), {children:.0f} MiB (largest child)")


if __name__ == "__main__":
    main()
