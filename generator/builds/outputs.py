"""Writing outputs: atomic files, one transaction per output folder, the manifest's stable JSON.

A build writes its outputs as one transaction: every file is staged (and fsync'd) in a
`.staging-<pid>` folder inside the output folder, then moved into place with a rename, the
manifest last. A build interrupted in between leaves a mix of old and new files under the old
manifest: the up-to-date check compares each output's hash with the manifest, so the mix is
rebuilt. What an interrupted build left (`.staging-*`, `.*.tmp`) is removed at the next start.
A lock (`.lock`, flock) per output folder makes two builds of the same folder queue.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from generator.errors import OutputError, UsageError, display_path
from generator.messages import _


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_UMASK = os.umask(0)
os.umask(_UMASK)
LOCK = ".lock"
STAGING = ".staging-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def manifest_bytes(entries: Mapping[str, object]) -> bytes:
    return (json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _unwritable(folder: Path, error: OSError) -> OutputError:
    if error.errno == errno.ENOSPC:
        what = _("the disk is full: free some space, then build again")
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = _("it is not writable: make it writable or choose another --out")
    else:
        what = _("{error}: choose another --out", error=error.strerror or error)
    return OutputError(
        _("cannot write the outputs to {folder}: {what}", folder=display_path(folder), what=what)
    )


class OutputFolder:
    """An output folder, created and locked for one build; `commit` writes its outputs.

    Entering creates the folder and its lock file (so an unwritable --out is known before any
    rendering), waits for another build of the same folder, and removes what an interrupted
    build left. Leaving without a commit removes the folders it created."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created: list[Path] = []
        self._lock: int | None = None
        self.committed = False

    def __enter__(self) -> OutputFolder:
        self._created = [p for p in (self.path, *self.path.parents) if not p.exists()][::-1]
        try:
            while True:
                self._make()
                lock = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:  # the lock file may have been removed by the build we waited for
                    if os.stat(self.path / LOCK).st_ino == os.fstat(lock).st_ino:
                        break
                except FileNotFoundError:
                    pass
                os.close(lock)
            self._lock = lock
            self._clean()
        except OSError as error:
            self._release()
            raise _unwritable(self.path, error) from error
        return self

    def _make(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as error:
            file = next((p for p in (self.path, *self.path.parents) if p.is_file()), self.path)
            raise UsageError(
                _(
                    "cannot write the outputs to {path}: {file} is a file, not a folder — give"
                    " --out a folder",
                    path=display_path(self.path),
                    file=display_path(file),
                )
            ) from error

    def _clean(self) -> None:
        for leftover in self.path.iterdir():
            if leftover.name.startswith(STAGING) and leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            elif leftover.name.startswith(".") and leftover.name.endswith(".tmp"):
                leftover.unlink(missing_ok=True)

    def commit(self, files: Sequence[tuple[str, bytes]], manifest: tuple[str, bytes]) -> list[Path]:
        """Stage every file, then move each into place, the manifest last; the paths written."""
        staging = self.path / f"{STAGING}{os.getpid()}"
        ordered = [*files, manifest]
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            for name, data in ordered:
                _write_synced(staging / name, data)
            _sync_folder(staging)
            written = []
            for name, _ in ordered:
                (self.path / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, self.path / name)
                written.append(self.path / name)
            _sync_folder(self.path)
        except OSError as error:
            raise _unwritable(self.path, error) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.committed = True
        return written

    def _release(self) -> None:
        if not self.committed:  # nothing written: the folders this build made go
            for folder in reversed(self._created):
                if folder == self.path:
                    (folder / LOCK).unlink(missing_ok=True)
                try:
                    folder.rmdir()
                except OSError:
                    break
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._release()


def _write_synced(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
