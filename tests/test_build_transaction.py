"""A build writes as one transaction: staged, moved into place with the manifest last, locked.

Issue 16, "Atomicity and faults": SIGKILL during the writes, a full disk, two concurrent builds,
an unwritable --out, temporary folders left behind, outputs made without LibreOffice.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import render
from generator.builds import outputs, rendering
from generator.builds.build import build
from generator.builds.manifest import Manifest
from generator.cli import main
from generator.errors import CilError, OutputError, UsageError

from .conftest import replace_in

MD = ["md", "html"]
ANNEXES = ["annexes-ppgdid"]
FORK = multiprocessing.get_context("fork")


def folder_of(out: Path) -> Path:
    return out / "cc-rhone-crussol" / "2025"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != outputs.LOCK
    }


def leftovers(folder: Path) -> list[str]:
    """What a build left in its folder or beside it (staging folders, temporary files)."""
    inside = [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    beside = [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.")]
    return inside + beside


def change_the_data(territory: Path) -> None:
    replace_in(territory / "data" / "parc_ops.csv", "Rue des Fleurs,40,", "Rue des Fleurs,41,")


def _killed_at(point: str, writes: int, territory: str, out: str) -> None:
    """In a child: build, and SIGKILL itself after `writes` files were staged (`point`
    "writes"), or just after the staged folder took the output folder's place ("exchange")."""
    real_write, real_exchange = outputs._write_synced, outputs._exchange
    count = [0]

    def write(path: Path, data: bytes) -> None:
        if point == "writes" and count[0] == writes:
            os.kill(os.getpid(), signal.SIGKILL)
        count[0] += 1
        real_write(path, data)

    def exchange(first: Path, second: Path) -> bool:
        done = real_exchange(first, second)
        if point == "exchange":
            os.kill(os.getpid(), signal.SIGKILL)
        return done

    outputs._write_synced = write  # type: ignore[assignment]
    outputs._exchange = exchange  # type: ignore[assignment]
    build(territory, ANNEXES, formats=MD, out=Path(out))


@pytest.mark.parametrize(("point", "writes"), [("writes", 0), ("writes", 2), ("exchange", 0)])
def test_sigkill_during_the_writes_leaves_one_complete_set(territory_copy, tmp_path, point, writes):
    """Killed while staging: the previous set, untouched; killed once the staged folder took
    the folder's place: the new set. Never a mix; the next build removes what was left."""
    out = tmp_path / "out"
    build(str(territory_copy), ANNEXES, formats=MD, out=out)
    folder = folder_of(out)
    old = files_of(folder)
    change_the_data(territory_copy)
    fresh = tmp_path / "fresh"
    build(str(territory_copy), ANNEXES, formats=MD, out=fresh)
    new = files_of(folder_of(fresh))
    child = FORK.Process(target=_killed_at, args=(point, writes, str(territory_copy), str(out)))
    child.start()
    child.join(120)
    assert child.exitcode == -signal.SIGKILL
    assert any(".staging-" in name for name in leftovers(folder))
    assert files_of(folder) == (new if point == "exchange" else old)
    again = build(str(territory_copy), ANNEXES, formats=MD, out=out)
    assert again.rebuilt == ([] if point == "exchange" else ANNEXES)
    assert leftovers(folder) == []
    assert files_of(folder) == new


def test_a_file_differing_from_the_manifest_is_out_of_date(territory_copy, tmp_path):
    build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path)
    html = folder_of(tmp_path) / "annexes-ppgdid.html"
    html.write_bytes(html.read_bytes() + b"<!-- moved in by an interrupted build -->")
    assert build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path).rebuilt == ANNEXES


def test_temporary_files_of_an_interrupted_build_are_removed_at_the_next(territory_copy, tmp_path):
    folder = folder_of(tmp_path)
    folder.mkdir(parents=True)
    (folder / ".annexes-ppgdid.md.x1y2.tmp").write_bytes(b"half")
    (folder / ".staging-999999").mkdir()
    (folder / ".staging-999999" / "annexes-ppgdid.md").write_bytes(b"half")
    build(str(territory_copy), ANNEXES, formats=["md"], out=tmp_path)
    assert leftovers(folder) == []
    assert (folder / "annexes-ppgdid.md").is_file()


def test_the_new_set_takes_the_folders_place_once_staged_the_manifest_last(
    territory_copy, tmp_path, monkeypatch
):
    events: list[str] = []
    real_write, real_exchange = outputs._write_synced, outputs._exchange

    def write(path, data):
        events.append(Path(path).name)
        real_write(path, data)

    def exchange(first, second):
        events.append("exchange")
        return real_exchange(first, second)

    monkeypatch.setattr(outputs, "_write_synced", write)
    monkeypatch.setattr(outputs, "_exchange", exchange)
    build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path)
    assert events[-2:] == ["manifest.json", "exchange"]
    assert {"annexes-ppgdid.md", "annexes-ppgdid.html"} <= set(events)


def test_outputs_of_other_documents_stay_when_one_is_rebuilt(territory_copy, tmp_path):
    build(str(territory_copy), ["annexes-ppgdid", "ppgdid"], formats=["md"], out=tmp_path)
    folder = folder_of(tmp_path)
    kept = (folder / "ppgdid.md").stat().st_ino
    (folder / "notes.txt").write_text("the user's own file\n", encoding="utf-8")
    build(str(territory_copy), ANNEXES, formats=["md"], out=tmp_path, force=True)
    assert (folder / "ppgdid.md").stat().st_ino == kept  # linked into the new state, not copied
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "the user's own file\n"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["documents"]) == {"annexes-ppgdid", "ppgdid"}


def test_without_an_atomic_exchange_files_are_moved_into_place_the_manifest_last(
    territory_copy, tmp_path, monkeypatch
):
    moved: list[str] = []
    real = os.replace

    def replace(source, target):
        moved.append(Path(target).name)
        real(source, target)

    monkeypatch.setattr(outputs, "_exchange", lambda first, second: False)
    monkeypatch.setattr(outputs.os, "replace", replace)
    build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path)
    assert moved[-1] == "manifest.json"
    assert {"annexes-ppgdid.md", "annexes-ppgdid.html"} <= set(moved)
    assert leftovers(folder_of(tmp_path)) == []


# --- Unwritable outputs: a message before any rendering ---------------------------------------


def _no_rendering(*args, **kwargs):
    raise AssertionError("rendering started")


def test_out_naming_a_file_is_refused_before_rendering(territory_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(rendering, "load_territory", _no_rendering)
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="notes.txt is a file, not a folder — give --out a folder"):
        build(str(territory_copy), ANNEXES, formats=["md"], out=file)
    result = CliRunner().invoke(main, ["build", str(territory_copy), "--out", str(file)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert file.read_text(encoding="utf-8") == "x"


def test_an_unwritable_out_is_refused_before_rendering(territory_copy, tmp_path, monkeypatch):
    """Root writes everywhere: the refusal of the file system is simulated."""
    monkeypatch.setattr(rendering, "load_territory", _no_rendering)
    real = os.open

    def read_only(path, *args, **kwargs):
        if Path(path).name == outputs.LOCK:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(outputs.os, "open", read_only)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="not writable: make it writable or choose another"):
        build(str(territory_copy), ANNEXES, formats=["md"], out=out)
    assert not out.exists()  # the folders it made are gone again
    result = CliRunner().invoke(main, ["build", str(territory_copy), "--out", str(out)])
    assert result.exit_code == 1
    assert "cannot write the outputs to" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_out_is_refused_before_rendering(territory_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(rendering, "load_territory", _no_rendering)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="not writable"):
            build(str(territory_copy), ANNEXES, formats=["md"], out=out)
    finally:
        out.chmod(0o755)


def test_a_full_disk_leaves_the_previous_outputs_and_no_staging(
    territory_copy, tmp_path, monkeypatch
):
    build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path)
    folder = folder_of(tmp_path)
    before = files_of(folder)
    change_the_data(territory_copy)
    real = outputs._write_synced
    count = [0]

    def full(path, data):
        count[0] += 1
        if count[0] > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(outputs, "_write_synced", full)
    with pytest.raises(OutputError, match="the disk is full: free some space, then build again"):
        build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path)
    assert files_of(folder) == before
    assert leftovers(folder) == []
    monkeypatch.setattr(outputs, "_write_synced", real)
    assert build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path).rebuilt == ANNEXES


# --- Temporary folders -------------------------------------------------------------------------


def _failing(*args, **kwargs):
    raise render.PandocError("pandoc failed on purpose")


def test_a_failing_build_leaves_no_temporary_folder(territory_copy, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(render, "markdown_to_html", _failing)
    with pytest.raises(CilError, match="pandoc failed on purpose"):
        build(str(territory_copy), ANNEXES, formats=MD, out=tmp_path / "out")
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
@pytest.mark.libreoffice
def test_a_failing_libreoffice_leaves_no_temporary_folder(territory_copy, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def lay_out(self, *args, **kwargs):
        raise render.LibreOfficeError("LibreOffice failed on purpose")

    monkeypatch.setattr(render.LibreOffice, "lay_out", lay_out)
    with pytest.raises(CilError, match="LibreOffice failed on purpose"):
        build(str(territory_copy), ["ppgdid"], formats=["docx"], out=tmp_path / "out")
    assert list(scratch.iterdir()) == []


# --- Two builds of one folder queue -------------------------------------------------------------


def _build_in_child(territory: str, document: str, out: str) -> None:
    build(territory, [document], formats=["md"], out=Path(out))


def test_two_concurrent_builds_of_one_folder_keep_both_entries(territory_copy, tmp_path):
    children = [
        FORK.Process(target=_build_in_child, args=(str(territory_copy), doc, str(tmp_path)))
        for doc in ("annexes-ppgdid", "ppgdid")
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
        assert child.exitcode == 0
    manifest = json.loads((folder_of(tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["documents"]) == {"annexes-ppgdid", "ppgdid"}
    assert build(str(territory_copy), ["annexes-ppgdid", "ppgdid"], ["md"], tmp_path).rebuilt == []


def _build_when_told(go: object, territory: str, out: str) -> None:
    go.wait(60)  # type: ignore[attr-defined]
    _build_in_child(territory, "ppgdid", out)


def test_a_build_waits_for_the_one_holding_the_folder(territory_copy, tmp_path):
    folder = folder_of(tmp_path)
    go = FORK.Event()
    # Forked before the lock is taken: a child holding a copy of the lock would wait for itself.
    child = FORK.Process(target=_build_when_told, args=(go, str(territory_copy), str(tmp_path)))
    child.start()
    with outputs.OutputFolder(folder):
        go.set()
        time.sleep(3)
        assert child.is_alive()
        assert not (folder / "manifest.json").exists()
    # The folder this test made was removed on leaving: the waiting build makes it again.
    child.join(120)
    assert child.exitcode == 0
    assert (folder / "ppgdid.md").is_file()


# --- Outputs made without LibreOffice -----------------------------------------------------------


def test_outputs_made_without_libreoffice_are_rebuilt_when_it_is_available(
    territory_copy, tmp_path, monkeypatch
):
    monkeypatch.setattr(render, "libreoffice_available", lambda: False)
    first = build(str(territory_copy), ["ppgdid"], ["docx", "md"], tmp_path)
    assert first.rebuilt == ["ppgdid"]
    folder = folder_of(tmp_path)
    entry = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert entry["ppgdid"]["made_without"] == {"libreoffice": ["ppgdid.docx"]}
    # Still without LibreOffice: up to date.
    assert build(str(territory_copy), ["ppgdid"], ["docx", "md"], tmp_path).rebuilt == []
    monkeypatch.setattr(render, "libreoffice_available", lambda: True)
    # LibreOffice is back: the DOCX (its TOC has no page numbers) is out of date, the
    # Markdown is not.
    manifest = Manifest.read(folder, "cc-rhone-crussol", 2025)
    tools = {"libreoffice"}
    assert not manifest.is_up_to_date("ppgdid", ["docx"], territory_copy, tools)
    assert manifest.is_up_to_date("ppgdid", ["md"], territory_copy, tools)
    assert build(str(territory_copy), ["ppgdid"], ["md"], tmp_path).rebuilt == []


def test_a_markdown_only_build_records_nothing_made_without(territory_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "libreoffice_available", lambda: False)
    build(str(territory_copy), ["ppgdid"], ["md"], tmp_path)
    entry = json.loads((folder_of(tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert "made_without" not in entry["documents"]["ppgdid"]


def test_rebuilding_one_format_keeps_what_the_others_were_made_without(tmp_path):
    manifest = Manifest(tmp_path / "manifest.json", "t", 2025, {})
    inputs = {"a": "1"}
    manifest.record("d", inputs, {"d.docx": b"x", "d.md": b"y"}, {"libreoffice": ["d.docx"]})
    manifest.record("d", inputs, {"d.md": b"z"}, {"libreoffice": []})
    assert manifest.documents["d"]["made_without"] == {"libreoffice": ["d.docx"]}
    manifest.record("d", inputs, {"d.docx": b"w"}, {"libreoffice": []})
    assert "made_without" not in manifest.documents["d"]


@pytest.mark.e2e
@pytest.mark.libreoffice
def test_a_docx_made_without_libreoffice_is_remade_with_it(territory_copy, tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(render, "libreoffice_available", lambda: False)
        build(str(territory_copy), ["ppgdid"], ["docx"], tmp_path)
    again = build(str(territory_copy), ["ppgdid"], ["docx"], tmp_path)
    assert again.rebuilt == ["ppgdid"]
    entry = json.loads((folder_of(tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert "made_without" not in entry["documents"]["ppgdid"]
    assert build(str(territory_copy), ["ppgdid"], ["docx"], tmp_path).rebuilt == []
