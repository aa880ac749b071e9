"""Builds, comparisons and bundles in the background: a bounded pool of worker processes (the
rendering is not thread-safe, and the pages must stay responsive), each job writing its progress
to the store. A job a restart interrupted is marked failed at start-up; the build's own
transaction has left the previous outputs as they were."""

from __future__ import annotations

import multiprocessing
import os
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from generator.errors import CilError
from generator.messages import _, language
from generator.web.store import DONE, FAILED, RUNNING, Store

BUILD, DIFF, SITTING = "build", "diff", "sitting"
NICENESS = 10


class Workers:
    def __init__(self, store: Store, size: int = 2) -> None:
        self.store = store
        self.size = size
        self._pool: ProcessPoolExecutor | None = None

    def submit(
        self, job_id: int, kind: str, folder: Path, request: dict[str, Any], out: Path
    ) -> Future[None]:
        return self.pool().submit(
            run_job, str(self.store.path), job_id, kind, str(folder), request, str(out)
        )

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.size, mp_context=context, initializer=_yield_to_pages
            )
        return self._pool

    def shutdown(self) -> None:
        """Stop at once: a build cut short leaves the previous outputs (its transaction) and is
        marked failed at the next start."""
        if self._pool is not None:
            processes = list(getattr(self._pool, "_processes", {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            self._pool = None


def _yield_to_pages() -> None:
    """A worker runs at a lower priority (and so do LibreOffice and pandoc, its children): on a
    small server the pages answer first and the builds take the processor time left."""
    os.nice(NICENESS)


def run_job(
    database: str, job_id: int, kind: str, folder: str, request: dict[str, Any], out: str
) -> None:
    """One job, in a worker process: its outcome and files go to the store, never an exception.
    Its messages are in French, as the pages that show them."""
    store = Store(Path(database))
    with language("fr"):
        store.update_job(job_id, status=RUNNING, progress=_("starting"))
        try:
            files = _run(store, job_id, kind, Path(folder), request, Path(out))
        except CilError as error:
            store.update_job(job_id, status=FAILED, detail=error.report())
        except Exception as error:  # a bug: said as such, with what happened
            detail = _(
                "internal error: {kind}: {error}\n{trace}",
                kind=type(error).__name__,
                error=error,
                trace=traceback.format_exc(limit=3),
            )
            store.update_job(job_id, status=FAILED, detail=detail)
        else:
            store.update_job(job_id, status=DONE, progress=_("finished"), files=files)


def _run(
    store: Store, job_id: int, kind: str, folder: Path, request: dict[str, Any], out: Path
) -> list[str]:
    from generator.builds.build import build

    if kind == BUILD:
        documents, formats = request["documents"], request["formats"]
        target = out / folder.name / str(request["year"])
        for number, document in enumerate(documents, start=1):
            store.update_job(
                job_id,
                progress=_(
                    "document {number} of {count}: {document}",
                    number=number,
                    count=len(documents),
                    document=document,
                ),
            )
            build(str(folder), [document], formats, out, request["year"])
        stems = tuple(request.get("stems") or ())
        return sorted(
            p.name
            for p in target.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.name.startswith(stems)
        )
    if kind == DIFF:
        from generator.commands.diff import diff
        from generator.web.diffs import write_snapshot

        store.update_job(job_id, progress=_("building both years and comparing them"))
        target = out / folder.name / f"diff-{request['from']}-{request['to']}"
        result = diff(str(folder), request["from"], request["to"], target, request.get("documents"))
        write_snapshot(result, target)  # what the years' page shows
        return [p.name for p in result.written]
    if kind == SITTING:
        from generator.commands.bundle import bundle

        year, stem = request["year"], request["stem"]
        store.update_job(job_id, progress=_("deliberation (DOCX, PDF)"))
        build(str(folder), ["deliberations"], request["formats"], out, year)
        files = [f"{stem}.{f}" for f in request["formats"]]
        if "pdf" in request["formats"]:
            store.update_job(job_id, progress=_("transmission bundle"))
            bundled = bundle(str(folder), stem.removeprefix("deliberation-"), out, year)
            files += [p.name for p in bundled.written]
        return files
    raise CilError(_("unknown job kind {kind}", kind=kind))
