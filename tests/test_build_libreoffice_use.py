"""LibreOffice runs only when a build needs it: PDF, ODT, or the page numbers of a DOCX's TOC."""

from __future__ import annotations

import shutil
import threading

import pytest

from generator import render
from generator.builds import rendering
from generator.builds.batch import BUILT, Request, build_all
from generator.builds.build import build
from generator.documents.registry import documents
from generator.render.libreoffice import LaidOut


class _Refused:
    """Stands for LibreOffice in a build that must not start it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("LibreOffice was started")


def test_deliberations_as_docx_need_no_libreoffice():
    known = documents()
    assert not rendering._needs_libreoffice(known, ["deliberations"], ["docx"])
    assert not rendering._needs_libreoffice(known, ["ppgdid"], ["html", "md"])


def test_a_docx_only_build_of_deliberations_does_not_start_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "LibreOffice", _Refused)
    result = build(documents=["deliberations"], formats=["docx"], out=tmp_path)
    assert any(p.suffix == ".docx" for p in result.written)


@pytest.mark.libreoffice
def test_documents_with_a_table_of_contents_need_libreoffice_even_as_docx():
    known = documents()
    assert rendering._needs_libreoffice(known, ["ppgdid"], ["docx"])
    assert rendering._needs_libreoffice(known, ["deliberations"], ["pdf"])


@pytest.mark.libreoffice
def test_libreoffice_started_but_not_used_leaves_no_process_behind():
    office = render.LibreOffice()
    office.close()
    assert office._soffice.poll() is not None
    assert office._worker.poll() is not None


@pytest.mark.libreoffice
def test_a_batch_worker_starts_libreoffice_once_and_stops_it_at_the_end(
    territory_copy, tmp_path, monkeypatch
):
    started: list[render.LibreOffice] = []
    real = render.LibreOffice

    def counted(*args: object, **kwargs: object) -> render.LibreOffice:
        started.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return started[-1]

    second = tmp_path / "territories" / "second"
    shutil.copytree(territory_copy, second)
    monkeypatch.setattr(render, "LibreOffice", counted)
    request = Request(["annexes-ppgdid"], ["docx"], tmp_path / "batch", None, True)
    outcomes = build_all(request, jobs=1, territories=[str(territory_copy), str(second)])
    assert [o.status for o in outcomes] == [BUILT, BUILT]
    assert len(started) == 1
    assert not started[0].alive
    # The same bytes as a build with a LibreOffice of its own.
    monkeypatch.setattr(render, "LibreOffice", real)
    alone = build(str(second), ["annexes-ppgdid"], ["docx"], out=tmp_path / "alone", force=True)
    made = next(p for p in alone.written if p.suffix == ".docx")
    in_batch = tmp_path / "batch" / made.relative_to(tmp_path / "alone")
    assert in_batch.read_bytes() == made.read_bytes()


class _Recording:
    """Stands for a serving LibreOffice: records the DOCX files it is handed, changes nothing."""

    handed: list[str] = []

    def __init__(self, warm: bool = False) -> None:
        self.given = threading.Event()

    def lay_out(self, docx_files, out_dir, formats=(), timeout=None, update_indexes=True):
        _Recording.handed.extend(p.name for p in docx_files)
        self.given.set()
        return LaidOut({p: {} for p in docx_files}, [])

    def __enter__(self) -> _Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_a_document_goes_to_libreoffice_while_the_next_one_is_prepared(
    territory_copy, tmp_path, monkeypatch
):
    offices: list[_Recording] = []
    monkeypatch.setattr(render, "libreoffice_available", lambda: True)
    monkeypatch.setattr(
        render, "LibreOffice", lambda warm=False: offices.append(_Recording()) or offices[-1]
    )
    monkeypatch.setattr(_Recording, "handed", [])
    prepare, seen = rendering._render_document, []

    def prepared_once_the_first_was_handed(*args: object) -> rendering.Rendered:
        if seen:  # the second document: LibreOffice has the first one by now
            seen.append(offices[0].given.wait(timeout=60))
        else:
            seen.append(True)
        return prepare(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rendering, "_render_document", prepared_once_the_first_was_handed)
    result = build(str(territory_copy), ["annexes-ppgdid", "ppgdid"], ["docx"], out=tmp_path)
    assert seen == [True, True]
    assert sorted(_Recording.handed) == ["annexes-ppgdid.docx", "ppgdid.docx"]
    assert sorted(p.name for p in result.written if p.suffix == ".docx") == sorted(
        _Recording.handed
    )


def test_pandoc_leaves_a_core_to_libreoffice_when_it_works_beside_it(
    territory_copy, tmp_path, monkeypatch
):
    sizes: list[int] = []
    pool = rendering.ThreadPoolExecutor

    def sized(max_workers: int) -> rendering.ThreadPoolExecutor:
        sizes.append(max_workers)
        return pool(max_workers=max_workers)

    monkeypatch.setattr(rendering, "ThreadPoolExecutor", sized)
    monkeypatch.setattr(rendering.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(render, "libreoffice_available", lambda: True)
    monkeypatch.setattr(render, "LibreOffice", lambda warm=False: _Recording())
    build(str(territory_copy), ["annexes-ppgdid"], ["docx"], out=tmp_path / "with")
    assert sizes[0] == 3  # pandoc's pool, then LibreOffice's two threads
    sizes.clear()
    build(str(territory_copy), ["annexes-ppgdid"], ["html"], out=tmp_path / "without")
    assert sizes[0] == 4
