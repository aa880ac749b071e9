"""How `cil check` copes with a big table, run by hand (never by CI): prints time and peak RSS.

    .venv/bin/python bench/big_csv.py [--megabytes 200] [--megabytes 9.9]

For each size, the example territory is copied to a scratch folder, its data/parc_ops.csv is
grown to that size with valid rows (the example's rows, repeated), and `cil check` runs in a
child process. The bound of issue 16: a valid 200 MB CSV is checked in under 30 s and 500 MB of
RSS, or refused at once with a message naming the size limit (MAX_TABLE_BYTES, 10 MB: the file
is refused on its size before a byte of it is read). The run just under the limit shows what a
table that is accepted costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "territories" / "cc-rhone-crussol"


def grow(table: Path, size: int) -> int:
    """Repeat the table's rows (each with its own address) until the file weighs `size` bytes."""
    header, *rows = table.read_text(encoding="utf-8").splitlines(keepends=True)
    written, number = 0, 0
    with table.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        written += len(header.encode())
        while True:
            for row in rows:
                if not row.startswith("2022,") or ",réponse" in row or ",non renseignée" in row:
                    continue
                number += 1
                year, commune, rest = row.split(",", 2)
                line = f"{year},{commune},n° {number} {rest}"
                encoded = len(line.encode())
                if written + encoded > size:
                    return number
                out.write(line)
                written += encoded


def measure(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        territory = Path(scratch) / "cc-rhone-crussol"
        shutil.copytree(EXAMPLE, territory)
        table = territory / "data" / "parc_ops.csv"
        rows = grow(table, int(megabytes * 1_000_000))
        weight = table.stat().st_size / 1_000_000
        log = Path(scratch) / "output.txt"
        start = time.perf_counter()
        with log.open("w") as output:
            child = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from generator.cli import main; main()",
                    "check",
                    str(territory),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        said = log.read_text(encoding="utf-8").strip().splitlines()
        print(
            f"parc_ops.csv of {weight:.1f} MB ({rows} rows): exit "
            f"{os.waitstatus_to_exitcode(status)}, {elapsed:.1f} s, "
            f"peak RSS {usage.ru_maxrss / 1024:.0f} MB"
        )
        for line in said[:4]:
            print(f"    {line[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, action="append")
    for size in parser.parse_args().megabytes or [200, 9.9]:
        measure(size)


if __name__ == "__main__":
    main()
