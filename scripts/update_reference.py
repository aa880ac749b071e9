#!/usr/bin/env python3
"""Build generator/reference/data/decoupage.json.gz from @etalab/decoupage-administratif.

Usage:
    python scripts/update_reference.py /path/to/unpacked/package
    python scripts/update_reference.py --version 6.0.0   # runs `npm pack` in a temp dir

Standard library only. The output bytes are deterministic for a given package version.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "generator" / "reference" / "data" / "decoupage.json.gz"


def _load(package_dir: Path, name: str) -> list[dict]:
    with (package_dir / "data" / name).open(encoding="utf-8") as f:
        return json.load(f)


def build_extract(package_dir: Path) -> dict:
    """Return the compact extract (plain dict) of an unpacked package folder."""
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE:
        raise SystemExit(f"{package_dir}: not {PACKAGE} (name={meta.get('name')!r})")
    communes = {
        c["code"]: [
            c["nom"],
            c["departement"],
            int(c.get("population", 0)),  # a few overseas entries have no population
            sorted(c.get("codesPostaux", [])),
        ]
        for c in _load(package_dir, "communes.json")
        if c["type"] == "commune-actuelle"
    }
    epci = {
        e["code"]: [e["nom"], e["type"], [m["code"] for m in e["membres"]]]
        for e in _load(package_dir, "epci.json")
    }
    members = {code for _, _, codes in epci.values() for code in codes}
    missing = sorted(members - communes.keys())
    if missing:
        raise SystemExit(f"EPCI members absent from communes: {missing[:10]}")
    return {
        "source": {"package": PACKAGE, "version": meta["version"], "license": meta["license"]},
        "departements": {d["code"]: d["nom"] for d in _load(package_dir, "departements.json")},
        "communes": communes,
        "epci": epci,
    }


def serialize(extract: dict) -> bytes:
    """Deterministic gzip-compressed JSON bytes."""
    raw = json.dumps(extract, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw.encode("utf-8"))
    return buf.getvalue()


def write(package_dir: Path, output: Path) -> int:
    data = serialize(build_extract(package_dir))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return len(data)


def _npm_pack(version: str, workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}"], cwd=workdir, check=True, stdout=subprocess.DEVNULL
    )
    (tgz,) = workdir.glob("*.tgz")
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("package_dir", nargs="?", type=Path, help="unpacked npm package folder")
    src.add_argument("--version", help=f"fetch {PACKAGE}@VERSION with npm pack")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = _npm_pack(args.version, Path(tmp)) if args.version else args.package_dir
        size = write(package_dir, args.output)
    print(f"wrote {args.output} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
