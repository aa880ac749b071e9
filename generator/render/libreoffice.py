"""PDF and ODT from our DOCX files through one headless LibreOffice process.

A plain `soffice --convert-to pdf` leaves the table of contents as it finds it; opening the
document through UNO lets LibreOffice update the indexes (with page numbers) before exporting.
The UNO client is `lo_worker.py`, run by the system Python that has python3-uno. Each call
gets its own profile directory, so calls may run in parallel.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.errors import ConversionError, MissingToolError
from generator.messages import _
from generator.render.docx_finish import set_toc_pages
from generator.render.installed import libreoffice_available, soffice, uno_python
from generator.render.pandoc import timeout as timeout_from
from generator.render.pdffix import fix_pdf
from generator.render.toc import match_pages, toc_entries
from generator.render.zipfix import fix_odt, read_entry

WORKER = Path(__file__).with_name("lo_worker.py")
FORMATS = ("pdf", "odt")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]+)</dcterms:created>")
TIMEOUT_VARIABLE = "CIL_LIBREOFFICE_TIMEOUT"  # seconds for a whole conversion
_INSTALL = "apt-get install libreoffice-writer-nogui python3-uno (scripts/install-system-deps.sh)"


class LibreOfficeError(ConversionError):
    """LibreOffice failed or took too long."""


class LibreOfficeMissing(MissingToolError, LibreOfficeError):
    """soffice or a Python with the UNO bridge is not installed."""


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


@dataclass
class LaidOut:
    """DOCX files LibreOffice has laid out and exported; `finish` makes the outputs final."""

    outputs: dict[Path, dict[str, Path]]  # {docx: {format: path}}, as `convert` returns them
    toc_lines: list[tuple[Path, dict[str, Path], list[str]]]  # (docx, outputs, its TOC lines)

    def finish(self) -> dict[Path, dict[str, Path]]:
        """The TOC page numbers written into each DOCX, ODT and PDF made reproducible."""
        for source, outputs, lines in self.toc_lines:
            _finish_outputs(source, outputs, lines)
        return self.outputs


class LibreOffice:
    """One headless soffice and its UNO worker, started ahead of need.

    Starting LibreOffice costs one to two seconds; a build starts it before it renders its
    documents, so that the start overlaps its own work, then hands it each DOCX as soon as
    pandoc has made it. Each instance has its own profile directory, so instances may run in
    parallel. One `convert` call per instance, or any number (`convert`, `lay_out`) with
    `warm=True`: the worker then serves one job after another (a build's documents; the
    builds of a batch worker, which pay its start once). `close` (or leaving the `with` block)
    stops both processes, whether it was used or not.
    """

    def __init__(self, connect_timeout: float = 60.0, warm: bool = False) -> None:
        if not libreoffice_available():
            raise LibreOfficeMissing(_("LibreOffice is not available: {what}", what=_INSTALL))
        self._tmp = tempfile.TemporaryDirectory(prefix="cil-lo-")
        tmp = Path(self._tmp.name)
        self._log_path = tmp / "soffice.log"
        self._result_path = tmp / "result.json"
        self._used = False
        self._warm = warm
        pipe = f"cil_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self._log = self._log_path.open("wb")
        try:
            self._soffice = self._start_soffice(tmp, pipe)
        except OSError as error:  # gone since it was found, not executable
            self._log.close()
            self._tmp.cleanup()
            raise LibreOfficeMissing(
                _(
                    "LibreOffice cannot be started ({error}): {what}",
                    error=error.strerror or error,
                    what=_INSTALL,
                )
            ) from error
        # The worker connects now and waits for its job on stdin: its start and the
        # connection overlap the caller's work too.
        try:
            mode = ["--serve", pipe] if warm else ["--pipe", pipe]
            self._worker = subprocess.Popen(
                [
                    uno_python() or "python3",
                    str(WORKER),
                    *mode,
                    "--connect-timeout",
                    str(connect_timeout),
                    *([] if warm else [str(self._result_path)]),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                # a warm worker's messages go to the log: nobody reads its stderr until it ends
                stderr=self._log if warm else subprocess.PIPE,
            )
        except OSError:
            _stop(self._soffice, 0.0)  # no soffice left behind without its worker
            self._log.close()
            self._tmp.cleanup()
            raise

    def _start_soffice(self, tmp: Path, pipe: str) -> subprocess.Popen:
        return subprocess.Popen(
            [
                soffice() or "soffice",
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

    def convert(
        self,
        docx_files: Sequence[Path],
        out_dir: Path,
        formats: Sequence[str] = FORMATS,
        timeout: float | None = None,
        update_indexes: bool = True,
    ) -> dict[Path, dict[str, Path]]:
        """What `convert_with_libreoffice` does, with this instance's processes."""
        return self.lay_out(docx_files, out_dir, formats, timeout, update_indexes).finish()

    def lay_out(
        self,
        docx_files: Sequence[Path],
        out_dir: Path,
        formats: Sequence[str] = FORMATS,
        timeout: float | None = None,
        update_indexes: bool = True,
    ) -> LaidOut:
        """LibreOffice's part of `convert`; the rest (`LaidOut.finish`) may run while this
        LibreOffice lays out the next files."""
        if self._used and not self._warm:
            raise RuntimeError("one conversion per LibreOffice instance")
        unknown = set(formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"unknown formats {sorted(unknown)}; choose among {FORMATS}")
        sources = [Path(f).resolve() for f in docx_files]
        missing = [str(s) for s in sources if not s.is_file()]
        if missing:
            raise FileNotFoundError(f"no such DOCX: {', '.join(missing)}")
        names = ", ".join(s.name for s in sources)
        if self._warm and not self.alive:
            raise self._gone(names)
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
        # A build hands its documents over one at a time: each gets the time a few got.
        limit = timeout_from(TIMEOUT_VARIABLE, timeout or 90 + 30 * len(sources))
        run = self._serve if self._warm else self._run
        results = run(files, limit)
        if self._warm and any(r["error"] for r in results) and self._soffice.poll() is not None:
            raise self._gone(names)  # it died under the files: say so, not what each one got
        results = _checked(results, files)
        return LaidOut(
            {Path(f): outputs[s] for f, s in zip(docx_files, sources, strict=True)},
            [(s, outputs[s], r["toc"]) for s, r in zip(sources, results, strict=True)],
        )

    def _run(self, files: list[dict], timeout: float) -> list[dict]:
        grace = 2.0  # soffice is stopped at once unless the worker asked it to exit
        names = ", ".join(Path(f["source"]).name for f in files)
        job: bytes | None = json.dumps({"files": files}).encode()
        deadline = time.monotonic() + timeout
        stderr = b""
        try:
            while True:  # the worker, watching that soffice is still there
                try:
                    _output, stderr = self._worker.communicate(job, timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    job = None  # sent: a second call may not send it again
                stopped = self._soffice.poll()
                if stopped is not None:  # asked to exit by the worker, or crashed
                    try:
                        _output, stderr = self._worker.communicate(timeout=5 if stopped == 0 else 1)
                        break
                    except subprocess.TimeoutExpired:
                        pass
                if stopped is not None or time.monotonic() > deadline:
                    self._worker.kill()
                    self._worker.communicate()
                    if stopped is not None:
                        raise LibreOfficeError(_stopped(stopped, names, self._log_path))
                    raise LibreOfficeError(_late(timeout, names, self._log_path))
            grace = 30.0 if self._worker.returncode == 0 else grace
        finally:
            _stop(self._soffice, grace)
        if not self._result_path.exists():
            if self._soffice.returncode not in (0, None):
                raise LibreOfficeError(_stopped(self._soffice.returncode, names, self._log_path))
            raise LibreOfficeError(
                _(
                    "LibreOffice could not convert {names}: its UNO bridge failed ({error}); "
                    "check that python3-uno matches the installed LibreOffice ({what}){said}",
                    names=names,
                    error=_last_line(stderr) or _("no message"),
                    what=_INSTALL,
                    said=_said(self._log_path),
                )
            )
        return list(json.loads(self._result_path.read_text(encoding="utf-8"))["files"])

    def _serve(self, files: list[dict], timeout: float) -> list[dict]:
        """One job to the serving worker, its results back; both processes stopped on failure."""
        assert self._worker.stdin is not None and self._worker.stdout is not None
        names = ", ".join(Path(f["source"]).name for f in files)
        try:
            self._worker.stdin.write(json.dumps({"files": files}).encode() + b"\n")
            self._worker.stdin.flush()
            line = _read_line(self._worker.stdout, timeout)
        except TimeoutError as error:
            late = LibreOfficeError(_late(timeout, names, self._log_path))
            self.close()
            raise late from error
        except OSError as error:  # its worker is gone: the pipe is closed
            raise self._gone(names) from error
        if not line:
            raise self._gone(names)
        return list(json.loads(line)["files"])

    def _gone(self, names: str) -> LibreOfficeError:
        """The serving LibreOffice is no longer there: how it stopped, both processes ended."""
        stopped = self._soffice.poll()
        error = LibreOfficeError(
            _("LibreOffice stopped{said}", said=_said(self._log_path))
            if stopped is None  # soffice runs, its worker is gone
            else _stopped(stopped, names, self._log_path)
        )
        self.close()  # after its log was read: the log goes with the profile
        return error

    def resident_mib(self) -> float:
        """Resident memory of soffice and its children (soffice.bin) in MiB; 0 where /proc
        does not tell."""
        total, pids = 0.0, [self._soffice.pid]
        while pids:
            pid = pids.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pids.extend(int(c) for c in (task / "children").read_text().split())
            except (OSError, ValueError):
                continue
            line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0")
            total += int(line.split()[1]) / 1024
        return total

    @property
    def alive(self) -> bool:
        """Whether soffice and its worker still run (a warm instance may serve again)."""
        return self._worker.poll() is None and self._soffice.poll() is None

    def close(self) -> None:
        """Stop the worker and soffice (at once when unused) and remove the profile."""
        stdin = self._worker.stdin
        if self._warm and self._used and stdin is not None and not stdin.closed:
            stdin.close()  # the worker asks soffice to exit, then ends
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._worker.wait(timeout=30)
        if self._worker.poll() is None:
            self._worker.kill()  # still waiting for a job: nothing to finish
            self._worker.wait() if self._warm else self._worker.communicate()
        _stop(self._soffice, 2.0 if self._used else 0.0)
        self._log.close()
        self._tmp.cleanup()

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _checked(results: list[dict], files: list[dict]) -> list[dict]:
    """The worker's results, or the files it could not convert named, with what to try."""
    failed = [r for r in results if r["error"]]
    if failed or len(results) != len(files):
        details = "; ".join(
            f"{Path(r['source']).name}: {r['error'].splitlines()[0]}" for r in failed
        )
        done = {r["source"] for r in results}
        lost = ", ".join(Path(f["source"]).name for f in files if f["source"] not in done)
        raise LibreOfficeError(
            _(
                "LibreOffice could not convert {details}: if a template or an override was "
                "changed, open the DOCX in LibreOffice to see what it refuses",
                details=details or _("{names} (it stopped before them)", names=lost),
            )
        )
    return results


def _read_line(stream: IO[bytes], timeout: float) -> bytes:
    """One line from a pipe, or TimeoutError after `timeout` seconds; b"" at its end."""
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(stream.fileno(), 1 << 16)
        if not chunk:
            return b""
        data += chunk
    return data


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


def _stopped(status: int, names: str, log: Path) -> str:
    how = (
        _("killed by signal {signal}", signal=-status)
        if status < 0
        else _("exit status {status}", status=status)
    )
    return _(
        "LibreOffice stopped before converting {names} ({how}): close every LibreOffice "
        "window and build again; if it stops every time, reinstall it ({what}){said}",
        names=names,
        how=how,
        what=_INSTALL,
        said=_said(log),
    )


def _late(timeout: float, names: str, log: Path) -> str:
    return _(
        "LibreOffice did not finish within {seconds} s ({names}): a long "
        "document may need more time: set {variable} to more seconds (e.g. "
        "{variable}=600) and build again; if it hangs every time, close "
        "every LibreOffice window and try again{said}",
        seconds=f"{timeout:g}",
        names=names,
        variable=TIMEOUT_VARIABLE,
        said=_said(log),
    )


def _last_line(data: bytes) -> str:
    """The last line a process wrote: the error, without the traceback above it."""
    lines = [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else ""


def _said(log: Path) -> str:
    """What soffice wrote, its last lines, to end a message with (nothing when it said
    nothing)."""
    if not log.exists():
        return ""
    lines = [
        line.strip()[:200]
        for line in log.read_bytes().decode("utf-8", "replace").splitlines()
        if line.strip() and "Traceback" not in line and not line.startswith("  File ")
    ][-4:]
    return _("; soffice said: {said}", said=" / ".join(lines)) if lines else ""
