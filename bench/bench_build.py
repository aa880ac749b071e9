"""Benchmark of builds, run by hand (never by CI): prints times, ratios, memory, speed-up.

    .venv/bin/python bench/bench_build.py [--repeat R] [--copies N] [--quick]

Every figure is a median of R runs, and each ratio is measured side by side in the same run
(our build, then its anchor, alternately), because the machine is shared and noisy. Figures:

- the full Rhône Crussol set in every format, against the raw toolchain floor: the same
  Markdown through pandoc (two processes at a time) and one LibreOffice run over every DOCX;
- the same set as DOCX only, against its floor: pandoc to DOCX, then one LibreOffice pass that
  fills the tables of contents; and against pandoc alone, which leaves them empty;
- a no-op rebuild and `cil --help` from the command line, against `python -c pass`;
- 13 deliberations (one sitting per commune) as DOCX;
- a sample of N generated fictional territories built with one job, then one per core, every
  format then DOCX only, extrapolated to the 1,255 EPCIs of France, with the speed-up and the
  peak memory of a worker with its LibreOffice and pandoc (`--copies 0` skips it);
- peak memory of this process and of its largest child.

The command-line figures are also given in CPU time (user + system of the child processes),
which the load of the shared machine inflates less than wall time.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

# This checkout's code, in process and on the command line: the venv's editable install finds
# the checkout it was installed from, which a git worktree is not (its finder comes after the
# path; PYTHONPATH, to measure another checkout, still comes first).
ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))

from generator.builds.batch import Request, build_all  # noqa: E402
from generator.builds.build import build, territory_folder  # noqa: E402
from generator.commands.fictional import write_tables  # noqa: E402
from generator.render.libreoffice import convert_with_libreoffice  # noqa: E402
from generator.render.pandoc import (  # noqa: E402
    LINEBREAK_FILTER,
    REFERENCE_DOCX,
    TOC_TITLE,
    pandoc_path,
)

TERRITORY = "cc-rhone-crussol"
#: cil on the command line, from the same code as this process's (see ROOT). Bytecode is cached
#: (as for an installed cil) even where PYTHONDONTWRITEBYTECODE is set: else every run
#: compiles the package again.
CIL = [sys.executable, "-m", "generator"]
CIL_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(ROOT)]))
}


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def paired(
    ours: Callable[[], object],
    anchor: Callable[[], object],
    repeat: int,
    measure: Callable[[Callable[[], object]], float] = seconds,
) -> tuple:
    """Medians of `ours` and `anchor`, run alternately so that both see the same load."""
    a, b = [], []
    for _ in range(repeat):
        a.append(measure(ours))
        b.append(measure(anchor))
    return statistics.median(a), statistics.median(b)


def cpu_seconds(action: Callable[[], object]) -> float:
    """CPU time (user + system) of the child processes `action` runs: the load of a shared
    machine inflates it less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    action()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def median_of(action: Callable[[], object], repeat: int) -> float:
    return statistics.median(seconds(action) for _ in range(repeat))


def show(label: str, value: float, unit: str = "s", anchor: str = "") -> None:
    print(f"{label:<58}{value:>8.2f} {unit:<4}{anchor}", flush=True)


def versus(label: str, ours: float, floor: float, floor_label: str) -> None:
    show(label, ours, "s", f"{floor_label} {floor:.2f} s → {ours / floor:.2f}×")


def _pandoc(markdown: Path, to: str, out: Path, extra: list[str]) -> None:
    """The raw pandoc call of the build, without our Python finishing steps."""
    subprocess.run(
        [
            pandoc_path(),
            "--from=markdown-smart",
            f"--to={to}",
            f"--lua-filter={LINEBREAK_FILTER}",
            "--toc",
            "--toc-depth=2",
            "--number-sections",
            f"--metadata=toc-title:{TOC_TITLE}",
            "--metadata=lang:fr-FR",
            f"--resource-path={markdown.parent}",
            f"--output={out}",
            *extra,
            str(markdown),
        ],
        check=True,
        env=os.environ | {"SOURCE_DATE_EPOCH": "0"},
    )


def floor(
    markdown_dir: Path, word_docx: list[Path], work: Path, every_format: bool, lay_out: bool = True
) -> None:
    """The toolchain alone on the same Markdown: pandoc (2 at a time), then one LibreOffice.

    `word_docx`: the deliberations as cil made them (docxtpl is our code, not the floor's),
    passed to LibreOffice for PDF/ODT only. `lay_out=False`: pandoc alone, whose DOCX have an
    empty table of contents (Word offers to fill it, LibreOffice does not)."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    jobs = []
    for md in sorted(markdown_dir.glob("*.md")):
        jobs.append(
            (
                md,
                "docx+native_numbering",
                work / f"{md.stem}.docx",
                ["--reference-doc", str(REFERENCE_DOCX)],
            )
        )
        if every_format:
            html = ["--standalone", "--embed-resources"]
            jobs.append((md, "html5", work / f"{md.stem}.html", html))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: _pandoc(*job), jobs))
    docx = sorted(work.glob("*.docx"))
    if lay_out is False:
        return
    if every_format:
        copies = [shutil.copy(p, work / p.name) for p in word_docx]
        convert_with_libreoffice([*docx, *map(Path, copies)], work / "lo", ["pdf", "odt"])
    else:
        convert_with_libreoffice(docx, work / "lo", [])


def full_set_figures(work: Path, repeat: int) -> None:
    territory = work / "territories" / TERRITORY
    markdown_out = work / "md"
    build(str(territory), formats=["md"], out=markdown_out, force=True)
    markdown_dir = markdown_out / TERRITORY / str(next((markdown_out / TERRITORY).iterdir()).name)
    docx_out = work / "docx"
    build(str(territory), ["deliberations"], ["docx"], out=docx_out, force=True)
    word = sorted(docx_out.glob(f"{TERRITORY}/*/deliberation-*.docx"))
    out = work / "out"
    ours, anchor = paired(
        lambda: build(str(territory), out=out, force=True),
        lambda: floor(markdown_dir, word, work / "floor", every_format=True),
        repeat,
    )
    versus("full set, every format (in process)", ours, anchor, "floor")
    ours, anchor = paired(
        lambda: build(str(territory), formats=["docx"], out=work / "out-docx", force=True),
        lambda: floor(markdown_dir, word, work / "floor-docx", every_format=False),
        repeat,
    )
    versus("full set, DOCX only (in process)", ours, anchor, "floor")
    ours, anchor = paired(
        lambda: build(str(territory), formats=["docx"], out=work / "out-docx", force=True),
        lambda: floor(markdown_dir, word, work / "floor-pandoc", False, lay_out=False),
        repeat,
    )
    versus("full set, DOCX only, vs pandoc alone (TOC left empty)", ours, anchor, "pandoc")


def command(*args: str) -> Callable[[], object]:
    """Run `args` (cil from this checkout, see `CIL`), its output captured."""
    return lambda: subprocess.run(args, check=True, capture_output=True, env=CIL_ENV)


def command_line_figures(work: Path, repeat: int) -> None:
    territory = work / "territories" / TERRITORY
    out = work / "out"
    build(str(territory), out=out)  # up to date from here on

    nothing = command(sys.executable, "-c", "pass")
    no_op = command(*CIL, "build", str(territory), "--out", str(out))
    no_op_docx = command(*CIL, "build", str(territory), "--out", str(out), "--format", "docx")
    for label, ours_run in (("no-op rebuild", no_op), ("no-op rebuild, DOCX", no_op_docx)):
        ours, anchor = paired(ours_run, nothing, repeat)
        versus(f"{label}, command line", ours, anchor, "python -c pass")
        ours, anchor = paired(ours_run, nothing, repeat, cpu_seconds)
        versus(f"{label}, command line, CPU time", ours, anchor, "python -c pass")
    ours, anchor = paired(command(*CIL, "--help"), nothing, repeat)
    versus("cil --help", ours, anchor, "python -c pass")
    show("no-op rebuild, in process", median_of(lambda: build(str(territory), out=out), repeat))


def thirteen_sittings(work: Path) -> Path:
    """Rhône Crussol with one sitting per commune (13): a folder under `work`."""
    from generator.territory.load import load_territory

    territory = work / "territories" / "deliberations-13"
    shutil.copytree(territory_folder(TERRITORY), territory)
    sittings = territory / "data" / "seances.csv"
    rows = list(csv.DictReader(io.StringIO(sittings.read_text("utf-8"))))
    communes = [c.nom for c in load_territory(territory, 2025).communes]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for number, commune in enumerate(communes, 1):
        writer.writerow(rows[0] | {"commune": commune, "numero_acte": f"2025-{number:02d}"})
    sittings.write_text(text.getvalue(), "utf-8")
    return territory


def deliberation_figures(work: Path, repeat: int) -> None:
    """One sitting per commune of Rhône Crussol: 13 deliberations, as DOCX, in process then
    from the command line (CPU time of the processes: `bench/peers.py` compares it with
    Carbone's); and the bilan as DOCX from the command line (compared with the notebook route
    by `bench/peers.py`)."""
    territory = thirteen_sittings(work)
    out = work / "out-deliberations"
    count = len(build(str(territory), ["deliberations"], ["docx"], out=out, force=True).written) - 1
    show(
        f"{count} deliberations, DOCX (in process)",
        median_of(
            lambda: build(str(territory), ["deliberations"], ["docx"], out=out, force=True), repeat
        ),
    )
    deliberations = [*CIL, "build", str(territory), "--doc", "deliberations", "--format", "docx"]
    deliberations += ["--force", "--out", str(out)]
    runs = [cpu_seconds(command(*deliberations)) for _ in range(repeat)]
    show(f"{count} deliberations, DOCX, command line, CPU time", statistics.median(runs))
    bilan = [*CIL, "build", str(work / "territories" / TERRITORY), "--doc", "bilan"]
    bilan += ["--format", "docx", "--force", "--out", str(work / "out-bilan")]
    runs = [cpu_seconds(command(*bilan)) for _ in range(repeat)]
    show("bilan, DOCX, command line (LibreOffice fills its TOC), CPU time", statistics.median(runs))


class MemoryWatch:
    """Peak memory of each batch worker with its children (LibreOffice, pandoc), sampled from
    /proc every half second: this process when it builds alone, else each of its child
    processes (the pool's workers). Proportional set size (PSS): a page shared by several
    processes counts for its share, so that the workers' figures add up."""

    def __init__(self, alone: bool) -> None:
        self.alone = alone  # this process builds: it is the worker
        self.peak = 0.0  # MiB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.5):
            children: dict[int, list[int]] = {}
            for entry in filter(str.isdigit, os.listdir("/proc")):
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                children.setdefault(int(stat[1]), []).append(int(entry))
            pool = [p for p in children.get(me, []) if "python" in _name(p)]
            workers = [me] if self.alone else pool
            for worker in workers:
                tree, total = [worker], 0.0
                while tree:
                    pid = tree.pop()
                    total += _pss(pid)
                    tree.extend(children.get(pid, []))
                self.peak = max(self.peak, total)


def _pss(pid: int) -> float:
    """A process's proportional set size in MiB (0 once it has ended)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    line = next((x for x in rollup.splitlines() if x.startswith("Pss:")), "Pss: 0 kB")
    return int(line.split()[1]) / 1024


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


EPCIS = 1255  # EPCIs of France (2025)


def national_figures(work: Path, copies: int) -> None:
    """A sample of generated fictional territories (one seed each) built with 1 job, then one
    per core, every format then DOCX only; extrapolated to the 1,255 EPCIs of France."""
    names = []
    for index in range(copies):
        folder = work / "many" / f"fictif-{index:02d}"
        shutil.copytree(territory_folder("exemple-fictif"), folder)
        write_tables(folder, seed=index)
        names.append(str(folder))
    cores = os.cpu_count() or 1
    for label, formats in (("every format", None), ("DOCX only", ["docx"])):
        request = Request(None, formats, work / "many-out", None, True)
        took = {}
        for jobs in dict.fromkeys((1, cores)):
            with MemoryWatch(alone=jobs == 1) as memory:
                took[jobs] = seconds(partial(build_all, request, jobs, territories=names))
            show(f"{copies} fictional territories, {label}, {jobs} job(s)", took[jobs])
            show(f"  peak memory of a worker with its children, {jobs} job(s)", memory.peak, "MiB")
        national = took[cores] / copies * EPCIS / 60
        show(f"{EPCIS} EPCIs, {label}, {cores} jobs (from {copies} territories)", national, "min")
        show(f"  speed-up of {cores} jobs over 1", took[1] / took[cores], "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=4, help="fictional territories to build")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["full", "command-line", "deliberations", "national"])
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f}, medians of {args.repeat} runs")
    with tempfile.TemporaryDirectory(prefix="cil-bench-") as folder:
        work = Path(folder)
        shutil.copytree(territory_folder(TERRITORY), work / "territories" / TERRITORY)
        if args.only in (None, "full"):
            full_set_figures(work, args.repeat)
        if args.only in (None, "command-line"):
            command_line_figures(work, args.repeat)
        if args.only in (None, "deliberations"):
            deliberation_figures(work, args.repeat)
        if args.copies and args.only in (None, "national"):
            national_figures(work, args.copies)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    show("peak memory, this process", peak, "MiB")
    show("peak memory, largest child (LibreOffice, pandoc)", children, "MiB")


if __name__ == "__main__":
    main()
