"""Benchmark of builds, run by hand (never by CI): prints times, memory and parallel speed-up.

    .venv/bin/python bench/bench_build.py [--copies N] [--repeat R]

Figures: full build of the example territory, no-op rebuild, rebuild after editing one table,
time per document type, then N generated fictional territories built on one core, then on all.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.builds.batch import Request, build_all
from generator.builds.build import build, territory_folder
from generator.commands.fictional import write_tables
from generator.documents.registry import documents


def seconds(action: Callable[[], object], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def show(label: str, value: float, unit: str = "s") -> None:
    print(f"{label:<48}{value:>9.2f} {unit}")


def example_figures(work: Path, repeat: int) -> None:
    territory = work / "territories" / "example"
    shutil.copytree(territory_folder(None), territory)
    out = work / "out"
    show(
        "full build, every document and format",
        seconds(lambda: build(str(territory), out=out, force=True), repeat),
    )
    show("no-op rebuild", seconds(lambda: build(str(territory), out=out), repeat))
    table = territory / "data" / "parc_ops.csv"

    def edit_and_build() -> None:
        table.write_text(table.read_text("utf-8") + "\n", "utf-8")
        build(str(territory), out=out)

    show("rebuild after editing one table", seconds(edit_and_build, repeat))
    for name in documents():
        show(
            f"document {name}, every format",
            seconds(lambda name=name: build(str(territory), [name], out=out, force=True), repeat),
        )


def parallel_figures(work: Path, copies: int) -> None:
    """N fictional territories, each with its own generated records (one seed each)."""
    names = []
    for index in range(copies):
        folder = work / "many" / f"fictif-{index:02d}"
        shutil.copytree(territory_folder("exemple-fictif"), folder)
        write_tables(folder, seed=index)
        names.append(str(folder))
    request = Request(None, None, work / "many-out", None, True)
    one = seconds(lambda: build_all(request, jobs=1, territories=names))
    cores = os.cpu_count() or 1
    every = seconds(lambda: build_all(request, jobs=cores, territories=names))
    show(f"{copies} fictional territories, 1 core", one)
    show(f"{copies} fictional territories, {cores} cores", every)
    show("speed-up", one / every, "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=4, help="fictional territories to build")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cil-bench-") as work:
        example_figures(Path(work), args.repeat)
        parallel_figures(Path(work), args.copies)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    show("peak memory, this process", peak, "MiB")
    show("peak memory, largest child (LibreOffice, pandoc)", children, "MiB")


if __name__ == "__main__":
    main()
