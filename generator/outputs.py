"""Writing outputs: atomic files and a manifest of what each output was made from."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def hash_files(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """Content hash of each file, keyed by its path relative to `root`, in a stable order."""
    hashes = {}
    for path in sorted(set(paths)):
        if path.is_file():
            hashes[path.relative_to(root).as_posix()] = sha256(path.read_bytes())
    return hashes


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()]


def manifest_bytes(entries: Mapping[str, object]) -> bytes:
    return (json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
