"""Writing outputs: atomic files, one transaction per output folder, the manifest's stable JSON.

A build writes its outputs as one transaction. The next state of the output folder is staged
beside it, in `.<folder>.staging-<pid>`: the files this build did not make are linked there
from the folder, the new ones written (and fsync'd), the manifest last; then the staged folder
and the output folder trade places in one atomic exchange (Linux `renameat2`,
RENAME_EXCHANGE), and the old state, now in the staging folder, is removed. At every instant the
output folder holds one complete set with its manifest, the previous one or the new one, even
if the build is killed. Where the exchange is not available, each file is moved into place with
a rename, the manifest last: an interrupted build then leaves a mix of old and new files under
the old manifest, which the up-to-date check (each output's hash against the manifest) rebuilds.
What an interrupted build left (staging folders, `.*.tmp`) is removed at the next start.
A lock (`.lock`, flock) per output folder makes two builds of the same folder queue; the staged
folder holds the same lock file (a hard link), so the lock survives the exchange.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
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
    elif error.errno in (errno.EDQUOT, errno.EFBIG):
        what = _(
            "a file is larger than this account or system allows ({reason}): free some space "
            "or raise the limit, then build again",
            reason=error.strerror,
        )
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = _("it is not writable: make it writable or choose another --out")
    else:
        what = _("{error}: choose another --out", error=error.strerror or error)
    return OutputError(
        _(
            "cannot write the outputs to {folder}: {what}\nnothing was written: the previous "
            "outputs are unchanged.",
            folder=display_path(folder),
            what=what,
        )
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

    def _staging(self) -> Path:
        return self.path.parent / f".{self.path.name}{STAGING}{os.getpid()}"

    def _clean(self) -> None:
        beside = [
            p
            for p in self.path.parent.iterdir()
            if p.name.startswith(f".{self.path.name}{STAGING}")
        ]
        for leftover in [*self.path.iterdir(), *beside]:
            if STAGING in leftover.name and leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            elif leftover.name.startswith(".") and leftover.name.endswith(".tmp"):
                leftover.unlink(missing_ok=True)

    def commit(self, files: Sequence[tuple[str, bytes]], manifest: tuple[str, bytes]) -> list[Path]:
        """Stage the folder's next state, then exchange it with the folder; the paths written."""
        staging = self._staging()
        ordered = [*files, manifest]
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            os.chmod(staging, stat.S_IMODE(self.path.stat().st_mode))
            _carry_over(self.path, staging, {name for name, _data in ordered})
            for name, data in ordered:
                _write_synced(staging / name, data)
            _sync_folder(staging)
            if not _exchange(staging, self.path):
                self._move_each(staging, ordered)
            _sync_folder(self.path.parent)
        except OSError as error:
            raise _unwritable(self.path, error) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # the previous state, once exchanged
        self.committed = True
        return [self.path / name for name, _data in ordered]

    def _move_each(self, staging: Path, ordered: Sequence[tuple[str, bytes]]) -> None:
        """Without an atomic exchange: each file renamed into place, the manifest last."""
        for name, _data in ordered:
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, self.path / name)
        _sync_folder(self.path)

    def _release(self) -> None:
        if not self.committed:  # nothing written: the folders this build made go
            for folder in reversed(self._created):
                try:
                    if folder == self.path:
                        (folder / LOCK).unlink(missing_ok=True)
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


def _carry_over(folder: Path, staging: Path, replaced: set[str]) -> None:
    """What stays of the folder, linked into the staged folder (copied where links fail): the
    outputs this build does not remake, the lock file, anything the user put there."""
    for source in sorted(folder.rglob("*")):
        relative = source.relative_to(folder)
        if relative.as_posix() in replaced or _leftover(relative.parts[0]):
            continue
        target = staging / relative
        if source.is_dir() and not source.is_symlink():
            target.mkdir(exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(source, target, follow_symlinks=False)


def _leftover(name: str) -> bool:
    return STAGING in name or (name.startswith(".") and name.endswith(".tmp"))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a file system without the exchange: rename file by file
    raise OSError(error, os.strerror(error), str(second))


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
