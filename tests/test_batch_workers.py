"""A batch worker's share of the machine: pandoc processes at a time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.builds import batch, rendering


@pytest.fixture
def worker_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rendering._Pandoc, "at_a_time", None)
    monkeypatch.setattr(rendering._WarmOffice, "kept", False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)


@pytest.mark.usefixtures("worker_settings")
@pytest.mark.parametrize(("jobs", "pandoc"), [(2, 2), (4, 1), (8, 1)])
def test_a_pool_worker_runs_pandoc_on_its_share_of_the_cores(jobs, pandoc):
    batch._start_worker(jobs)
    assert (rendering._Pandoc.at_a_time, rendering._WarmOffice.kept) == (pandoc, True)


@pytest.mark.usefixtures("worker_settings")
def test_one_job_keeps_every_core_for_pandoc():
    batch._start_worker(1)
    assert rendering._Pandoc.at_a_time is None


class _FakeOffice:
    """Stands in for a warm LibreOffice whose size the test sets."""

    made: list[_FakeOffice] = []

    def __init__(self, warm: bool = False) -> None:
        self.size, self.alive, self.closed = 200.0, True, False
        _FakeOffice.made.append(self)

    def resident_mib(self) -> float:
        return self.size

    def close(self) -> None:
        self.alive, self.closed = False, True


def test_a_kept_libreoffice_that_grew_is_replaced_between_two_builds(monkeypatch):
    from contextlib import ExitStack

    monkeypatch.setattr(rendering.render, "LibreOffice", _FakeOffice)
    monkeypatch.setattr(_FakeOffice, "made", [])
    monkeypatch.setattr(rendering._WarmOffice, "kept", True)
    monkeypatch.setattr(rendering._WarmOffice, "office", None)
    monkeypatch.setattr(rendering._WarmOffice, "settled", 0.0)
    with ExitStack() as stack:
        first = rendering._office(stack, ["a.pdf"])
        assert rendering._office(stack, ["a.pdf"]) is first  # settles at 200 MiB
        first.size = 200 + rendering.GROWTH_MIB - 1
        assert rendering._office(stack, ["a.pdf"]) is first
        first.size = 200 + rendering.GROWTH_MIB + 1
        second = rendering._office(stack, ["a.pdf"])
    assert second is not first and first.closed and not second.closed
    assert len(_FakeOffice.made) == 2
    rendering.stop_warm_libreoffice()
    assert second.closed


def test_a_libreoffice_s_size_counts_the_children_of_its_launcher():
    import subprocess
    import sys

    from generator.render.libreoffice import LibreOffice

    grow = "b = bytearray(60 * 2**20); import time; time.sleep(30)"
    launcher = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grow!r}])"
    process = subprocess.Popen([sys.executable, "-c", launcher])  # soffice starts soffice.bin
    office = object.__new__(LibreOffice)
    office._soffice = process
    try:
        import time

        deadline = time.monotonic() + 20
        while office.resident_mib() < 60 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert office.resident_mib() >= 60
    finally:
        for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
            os.kill(int(child), 9)
        process.kill()
        process.wait()
