"""A batch worker's share of the machine: pandoc processes at a time."""

from __future__ import annotations

import os

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
