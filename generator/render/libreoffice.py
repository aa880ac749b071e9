"""PDF and ODT from our DOCX files through one headless LibreOffice process.

A plain `soffice --convert-to pdf` leaves the table of contents as it finds it; opening the
document through UNO lets LibreOffice update the indexes (with page numbers) before exporting.
The UNO client is `lo_worker.py`, run by the system Python that has python3-uno. Each call
gets its own profile directory, so calls may run in parallel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from generator.errors import ConversionError, MissingToolError
from generator.messages import _
from generator.render.docx_finish import set_toc_pages, toc_entries
from generator.render.pdffix import fix_pdf
from generator.render.toc import match_pages
from generator.render.zipfix import fix_odt, read_entry

WORKER = Path(__file__).with_name("lo_worker.py")
FORMATS = ("pdf", "odt")
_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]+)</dcterms:created>")


class LibreOfficeError(ConversionError):
    """LibreOffice failed or took too long."""


class LibreOfficeMissing(MissingToolError, LibreOfficeError):
    """soffice or a Python with the UNO bridge is not installed."""


@cache
def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def _uno_python() -> str | None:
    """A Python that can `import uno` (CIL_UNO_PYTHON, else Debian's or LibreOffice's own)."""
    candidates = [os.environ.get("CIL_UNO_PYTHON", ""), *_UNO_PYTHONS, sys.executable]
    for python in filter(None, candidates):
        if not Path(python).exists():
            continue
        try:
            ok = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if ok.returncode == 0:
            return python
    return None


def libreoffice_available() -> bool:
    """True when soffice and a Python with the UNO bridge are both installed."""
    return _soffice() is not None and _uno_python() is not None


def convert_with_libreoffice(
    docx_files: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    timeout: float | None = None,
    update_indexes: bool = True,
) -> dict[Path, dict[str, Path]]:
    """Export each DOCX to `out_dir/<stem>.<format>` with indexes updated; one soffice process.

    The TOC page numbers LibreOffice computed are also written back into each DOCX (in place),
    so that the DOCX shows them without "update fields". ODT files are normalised to be
    reproducible. Returns {docx: {format: path}}. `update_indexes=False` exports the TOC as
    the DOCX holds it (to see the DOCX as LibreOffice shows it).
    """
    with LibreOffice() as office:
        return office.convert(docx_files, out_dir, formats, timeout, update_indexes)


class LibreOffice:
    """One headless soffice and its UNO worker, started ahead of need.

    Starting LibreOffice costs about a second; a build starts it before it renders its
    documents, so that the start overlaps pandoc's work, then hands it the DOCX files once.
    Each instance has its own profile directory, so instances may run in parallel. One
    `convert` call per instance; `close` (or leaving the `with` block) stops both processes,
    whether `convert` was called or not.
    """

    def __init__(self, connect_timeout: float = 60.0) -> None:
        if not libreoffice_available():
            raise LibreOfficeMissing(
                _("LibreOffice is not available: install libreoffice-writer-nogui and python3-uno")
            )
        self._tmp = tempfile.TemporaryDirectory(prefix="cil-lo-")
        tmp = Path(self._tmp.name)
        self._log_path = tmp / "soffice.log"
        self._result_path = tmp / "result.json"
        self._used = False
        pipe = f"cil_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self._log = self._log_path.open("wb")
        self._soffice = subprocess.Popen(
            [
                _soffice() or "soffice",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,  # its own process group, to stop all of it on failure
            # its temporary files (lu*.tmp, left when it is stopped) go with the profile
            env={**os.environ, "TMPDIR": str(tmp)},
        )
        # The worker connects now and waits for its job on stdin: its start and the
        # connection overlap the caller's work too.
        try:
            self._worker = subprocess.Popen(
                [
                    _uno_python() or "python3",
                    str(WORKER),
                    "--pipe",
                    pipe,
                    "--connect-timeout",
                    str(connect_timeout),
                    str(self._result_path),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:
            _stop(self._soffice, 0.0)  # no soffice left behind without its worker
            self._log.close()
            self._tmp.cleanup()
            raise

    def convert(
        self,
        docx_files: Sequence[Path],
        out_dir: Path,
        formats: Sequence[str] = FORMATS,
        timeout: float | None = None,
        update_indexes: bool = True,
    ) -> dict[Path, dict[str, Path]]:
        """What `convert_with_libreoffice` does, with this instance's processes."""
        if self._used:
            raise RuntimeError("one conversion per LibreOffice instance")
        unknown = set(formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"unknown formats {sorted(unknown)}; choose among {FORMATS}")
        sources = [Path(f).resolve() for f in docx_files]
        missing = [str(s) for s in sources if not s.is_file()]
        if missing:
            raise FileNotFoundError(f"no such DOCX: {', '.join(missing)}")
        if len({s.stem for s in sources}) != len(sources):
            raise ValueError(
                "two DOCX files share a name; their outputs would overwrite each other"
            )
        out_dir = Path(out_dir).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        outputs = {s: {fmt: out_dir / f"{s.stem}.{fmt}" for fmt in formats} for s in sources}
        files = [
            {
                "source": str(s),
                "outputs": {f: str(p) for f, p in outputs[s].items()},
                "update_indexes": update_indexes,
                "toc_numbers": [e.number for e in toc_entries(s.read_bytes())],
            }
            for s in sources
        ]
        self._used = True
        results = self._run(files, timeout or 60 + 30 * len(sources))
        for source, result in zip(sources, results, strict=True):
            _finish_outputs(source, outputs[source], result["toc"])
        return {Path(f): outputs[s] for f, s in zip(docx_files, sources, strict=True)}

    def _run(self, files: list[dict], timeout: float) -> list[dict]:
        grace = 2.0  # soffice is stopped at once unless the worker asked it to exit
        try:
            _output, stderr = self._worker.communicate(
                json.dumps({"files": files}).encode(), timeout=timeout
            )
            grace = 30.0 if self._worker.returncode == 0 else grace
        except subprocess.TimeoutExpired as exc:
            self._worker.kill()
            self._worker.communicate()
            raise LibreOfficeError(
                _(
                    "LibreOffice did not finish within {timeout:.0f} s ({count} files); soffice"
                    " said: {tail}",
                    timeout=timeout,
                    count=len(files),
                    tail=_tail(self._log_path),
                )
            ) from exc
        finally:
            _stop(self._soffice, grace)
        if not self._result_path.exists():
            raise LibreOfficeError(
                _(
                    "LibreOffice conversion failed: {said} {tail}",
                    said=_tail_text(stderr),
                    tail=_tail(self._log_path),
                )
            )
        results = json.loads(self._result_path.read_text(encoding="utf-8"))["files"]
        failed = [r for r in results if r["error"]]
        if failed or len(results) != len(files):
            details = "; ".join(f"{r['source']}: {r['error'].splitlines()[0]}" for r in failed)
            raise LibreOfficeError(
                _("LibreOffice could not convert {value}", value=details or "every file")
            )
        return results

    def close(self) -> None:
        """Stop the worker and soffice (at once when unused) and remove the profile."""
        if self._worker.poll() is None:
            self._worker.kill()  # still waiting for a job: nothing to finish
            self._worker.communicate()
        _stop(self._soffice, 2.0 if self._used else 0.0)
        self._log.close()
        self._tmp.cleanup()

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _finish_outputs(source: Path, outputs: dict[str, Path], toc_lines: list[str]) -> None:
    """Page numbers into the DOCX; ODT and PDF made reproducible (dates from the DOCX)."""
    docx = source.read_bytes()
    entries = toc_entries(docx)
    if entries and toc_lines:
        updated = set_toc_pages(docx, match_pages(entries, toc_lines))
        if updated != docx:
            source.write_bytes(updated)
    created = _CREATED.search(read_entry(docx, "docProps/core.xml"))
    stamp = created[1].decode() if created else "1980-01-01T00:00:00Z"
    if "odt" in outputs:
        outputs["odt"].write_bytes(fix_odt(outputs["odt"].read_bytes(), stamp))
    if "pdf" in outputs:
        outputs["pdf"].write_bytes(fix_pdf(outputs["pdf"].read_bytes(), stamp))


def _stop(process: subprocess.Popen, grace: float) -> None:
    """Let soffice exit within `grace` seconds, then end its process group."""
    try:
        process.wait(timeout=grace)
        return
    except subprocess.TimeoutExpired:
        pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=10)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def _tail(log: Path) -> str:
    return _tail_text(log.read_bytes()) if log.exists() else ""


def _tail_text(data: bytes, size: int = 800) -> str:
    return data.decode("utf-8", "replace").strip()[-size:]
