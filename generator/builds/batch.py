"""Every territory at once: in parallel over the cores, past failures, with a summary."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.builds.build import build, known_territories
from generator.errors import CilError, DataErrors
from generator.messages import _

BUILT, UP_TO_DATE, FAILED = "built", "up to date", "failed"
T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    territory: str
    status: str
    detail: str = ""


@dataclass(frozen=True)
class Request:
    documents: Sequence[str] | None
    formats: Sequence[str] | None
    out: Path
    year: int | None
    force: bool


def attempt(name: str, action: Callable[[], T]) -> T | Outcome:
    """The one error boundary of batch work: a failure becomes an outcome so the others go on."""
    try:
        return action()
    except DataErrors as error:
        more = len(error.problems) - 1
        if more == 1:
            suffix = _(" (and 1 more: cil check {name})", name=name)
        else:
            suffix = _(" (and {more} more: cil check {name})", more=more, name=name) if more else ""
        return Outcome(name, FAILED, f"{error.problems[0]}{suffix}")
    except CilError as error:
        return Outcome(name, FAILED, str(error))
    except OSError as error:
        return Outcome(name, FAILED, f"{error.strerror or error}: {error.filename or ''}")
    except Exception as error:  # a bug must not stop the other territories
        return Outcome(
            name,
            FAILED,
            _("internal error {kind}: {error}", kind=type(error).__name__, error=error),
        )


def build_one(name: str, request: Request) -> Outcome:
    """Build one territory; what it rebuilt, or why it failed."""
    result = attempt(
        name,
        lambda: build(
            name, request.documents, request.formats, request.out, request.year, request.force
        ),
    )
    if isinstance(result, Outcome):
        return result
    if not result.rebuilt:
        return Outcome(name, UP_TO_DATE)
    return Outcome(name, BUILT, ", ".join(result.rebuilt))


def _start_worker(jobs: int = 1) -> None:
    """A batch worker keeps one LibreOffice for all its territories, stopped when it ends, and
    runs pandoc on its share of the cores (`jobs` workers in all)."""
    from multiprocessing import parent_process, util

    from generator.builds.rendering import (
        keep_libreoffice_warm,
        share_the_cores,
        stop_warm_libreoffice,
    )

    keep_libreoffice_warm()
    if jobs > 1:
        share_the_cores(jobs)
    if parent_process() is not None:  # a pool's process: stopped at the pool's shutdown
        util.Finalize(None, stop_warm_libreoffice, exitpriority=10)


def build_all(
    request: Request,
    jobs: int | None = None,
    on_done: Callable[[Outcome], None] | None = None,
    territories: Sequence[str] | None = None,
) -> list[Outcome]:
    """Outcomes of every territory (default: all under territories/), in name order."""
    names = list(territories) if territories is not None else known_territories()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(names)))
    outcomes: list[Outcome] = []
    if jobs == 1:
        _start_worker()
        try:
            for name in names:
                outcomes.append(build_one(name, request))
                if on_done:
                    on_done(outcomes[-1])
        finally:
            from generator.builds.rendering import stop_warm_libreoffice

            stop_warm_libreoffice()
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # only for a batch

        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_start_worker, initargs=(jobs,)
        ) as pool:
            futures = [pool.submit(build_one, name, request) for name in names]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if on_done:
                    on_done(outcomes[-1])
    return sorted(outcomes, key=lambda o: o.territory)
