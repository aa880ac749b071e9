"""Compiled Jinja code kept in the process and between runs, the way Python keeps its .pyc
files: every template environment is a `render.templates.Sandbox`, whose `compile` asks here.

Compiling the templates was a sixth of a deliberations build from the command line (the Word
template, its check paragraph by paragraph, the texts). The code Jinja makes depends only on
the source, the template's name and file, the environment's compile options and the names of
its filters and tests (Jinja checks them while compiling): all of it goes into the key.

The folder is the user's own cache (`$XDG_CACHE_HOME/cil/jinja`, `~/.cache/cil/jinja`;
`CIL_CACHE` names another, `CIL_CACHE=off` keeps nothing on disk). Code read from it is run:
it is used only when it belongs to the user and nobody else may write in it, and is never
placed in a territory's folder or outputs, which their staff can write.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

_MEMORY: dict[str, CodeType] = {}
_KEPT = 2048  # code objects kept in the process


def cache_folder() -> Path | None:
    """Where compiled code is kept, or None when nothing is to be kept on disk."""
    chosen = os.environ.get("CIL_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cil" / "jinja"


def _options(env: jinja2.Environment, name: str | None) -> tuple[Any, ...]:
    """What, besides the source, changes the code Jinja generates."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    return (
        jinja2.__version__,
        sys.version,
        type(env).__module__,
        type(env).__qualname__,
        env.sandboxed,
        sorted(getattr(env, "intercepted_binops", ())),
        sorted(getattr(env, "intercepted_unops", ())),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        bool(autoescape),
        repr(getattr(env.finalize, "jinja_pass_arg", None)) if env.finalize else None,
        sorted(env.extensions),
        sorted((n, repr(getattr(f, "jinja_pass_arg", None))) for n, f in env.filters.items()),
        sorted((n, repr(getattr(f, "jinja_pass_arg", None))) for n, f in env.tests.items()),
    )


def _key(env: jinja2.Environment, source: str, name: str | None, filename: str | None) -> str:
    digest = hashlib.sha256(repr((_options(env, name), name, filename)).encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _trusted(folder: Path) -> bool:
    """The folder is the user's and only the user's to write in."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def compiled(
    env: jinja2.Environment,
    source: str,
    name: str | None,
    filename: str | None,
    compile_source: Callable[[], CodeType],
) -> CodeType:
    """The code of `source` as `compile_source` makes it, from the process, the disk or anew.
    A template that does not compile raises each time: errors are not kept."""
    key = _key(env, source, name, filename)
    code = _MEMORY.get(key)
    if code is not None:
        return code
    folder = cache_folder()
    path = folder / f"{key}.code" if folder is not None and _trusted(folder) else None
    if path is not None:
        try:
            loaded = marshal.loads(path.read_bytes())
            code = loaded if isinstance(loaded, CodeType) else None
        except (OSError, EOFError, ValueError, TypeError):
            code = None
    if code is None:
        code = compile_source()
        if path is not None:
            _write(path, marshal.dumps(code))
    if len(_MEMORY) >= _KEPT:
        _MEMORY.clear()
    _MEMORY[key] = code
    return code


def _write(path: Path, data: bytes) -> None:
    """Written whole or not at all: another cil may read the same file at the same time."""
    try:
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except OSError:
        return  # a full or read-only disk: the code is compiled again next time
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(scratch, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
