"""Big valid territories and what `cil check` (and optionally `cil build`) costs on them.

Run by hand (never by CI); prints wall time and peak RSS of each command:

    .venv/bin/python bench/big_inputs.py                       # both tables, just under the limit
    .venv/bin/python bench/big_inputs.py --table parc_ops --megabytes 2
    .venv/bin/python bench/big_inputs.py --build md            # also `cil build --format md`
    .venv/bin/python bench/big_inputs.py --keep /tmp/big       # keep the territories made

Each case copies an example territory to a scratch folder and grows one table with valid rows,
deterministically (the same bytes on every run), to a size the loader accepts (MAX_TABLE_BYTES,
10 MB, and MAX_ROWS). The bound of issue 16: any accepted file is checked in well under 30 s
and 500 MB RSS.

* `attributions`: exemple-fictif's allocation records, every row repeated in place (dates stay
  in order), each with its own case number in `notes` so that rows differ;
* `parc_ops`: cc-rhone-crussol's housing-stock addresses (2022 survey), each repeated with its
  own street number.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TERRITORIES = ROOT / "territories"
sys.path.insert(0, str(ROOT))

from generator.territory.table_files import MAX_ROWS, MAX_TABLE_BYTES  # noqa: E402


def _parc_ops_rows(rows: list[str]) -> Iterator[str]:
    """The 2022 addresses with a figure, each given street numbers 1, 2, 3…"""
    kept = [r for r in rows if r.startswith("2022,") and re.search(r',"?\d', r)]
    number = 0
    while True:
        number += 1
        for row in kept:
            year, commune, rest = row.split(",", 2)
            yield f"{year},{commune},{number} {rest}"


def _attributions_in_order(rows: list[str], times: int) -> Iterator[str]:
    """Each row `times` times in a row (the file stays sorted by date as the example is), each
    copy with its own case number in `notes`, so that no row repeats another."""
    number = 0
    for row in rows:
        for _copy in range(times):
            number += 1
            yield f"{row.rstrip(chr(10))},dossier n° {number}\n"


CASES = {
    "attributions": ("exemple-fictif", "attributions.csv"),
    "parc_ops": ("cc-rhone-crussol", "parc_ops.csv"),
}


def grow(table: Path, name: str, size: int) -> int:
    """Rewrite `table` with valid rows up to `size` bytes (and MAX_ROWS); returns the rows."""
    header, *rows = table.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [r if r.endswith("\n") else r + "\n" for r in rows]
    if name == "attributions":
        header = header.rstrip("\n") + ",notes\n"
        weight = sum(len(r.encode()) for r in rows) + len(",dossier n° 12345") * len(rows)
        times = max(1, (size - len(header.encode())) // weight)
        source: Iterator[str] = _attributions_in_order(rows, times)
    else:
        source = _parc_ops_rows(rows)
    written, count = len(header.encode()), 0
    with table.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        for line in source:
            encoded = len(line.encode())
            if written + encoded > size or count >= MAX_ROWS:
                break
            out.write(line)
            written += encoded
            count += 1
    return count


def timed(command: list[str]) -> tuple[int, float, float, float, list[str]]:
    """Exit status, wall and CPU seconds, peak RSS in MB and output of `command` (GNU time -v).

    CPU time (user + system) is shown beside wall time: on a shared machine it is the steadier.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *command],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        figures = report.read()
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", figures)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", figures)
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", figures)
    assert wall and rss and cpu, figures
    seconds = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
    said = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode, seconds, sum(map(float, cpu)), int(rss[1]) / 1024, said


def measure(name: str, megabytes: float, scratch: Path, build: str | None) -> None:
    slug, file = CASES[name]
    territory = scratch / f"{slug}-{name}"
    shutil.copytree(TERRITORIES / slug, territory)
    table = territory / "data" / file
    rows = grow(table, name, int(megabytes * 1_000_000))
    weight = table.stat().st_size / 1_000_000
    cil = [sys.executable, "-m", "generator"]
    runs = [("check", [*cil, "check", str(territory)])]
    if build:
        out = scratch / f"out-{name}"
        runs.append(
            (
                f"build {build}",
                [*cil, "build", str(territory), "--format", build, "--out", str(out), "--force"],
            )
        )
    for label, command in runs:
        status, seconds, cpu, rss, said = timed(command)
        print(
            f"{file} of {weight:.1f} MB ({rows} rows), cil {label}: exit {status},"
            f" {seconds:.1f} s ({cpu:.1f} s CPU), peak RSS {rss:.0f} MB"
        )
        for line in said[:3]:
            print(f"    {line[:150]}")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", choices=sorted(CASES), action="append")
    parser.add_argument("--megabytes", type=float, default=MAX_TABLE_BYTES / 1_000_000 - 0.1)
    parser.add_argument("--build", metavar="FORMATS", help="also run cil build --format FORMATS")
    parser.add_argument("--keep", type=Path, help="make the territories here and keep them")
    arguments = parser.parse_args()
    for name in arguments.table or sorted(CASES):
        if arguments.keep:
            arguments.keep.mkdir(parents=True, exist_ok=True)
            measure(name, arguments.megabytes, arguments.keep, arguments.build)
            continue
        with tempfile.TemporaryDirectory() as scratch:
            measure(name, arguments.megabytes, Path(scratch), arguments.build)


if __name__ == "__main__":
    main()
