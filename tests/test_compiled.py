"""Compiled Jinja code kept between runs: taken back only for the same source and options,
from a folder nobody else may write in; never a wrong or stale template."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from generator.render import compiled
from generator.render.templates import Sandbox


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CIL_CACHE", str(folder))
    monkeypatch.setattr(compiled, "_MEMORY", {})
    return folder


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "_MEMORY", {})


def test_code_compiled_once_serves_a_later_run(cache, monkeypatch):
    source = "{{ commune | upper }} : {{ n * 2 }}"
    assert Sandbox().from_string(source).render(commune="Cornas", n=2) == "CORNAS : 4"
    assert len(list(cache.glob("*.code"))) == 1
    _new_process(monkeypatch)
    calls = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment, "compile", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    assert Sandbox().from_string(source).render(commune="Soyons", n=3) == "SOYONS : 6"
    assert calls == []  # read back, not compiled


def test_other_options_or_filters_compile_anew(cache):
    source = "{{ x }}"
    assert Sandbox(autoescape=False).from_string(source).render(x="<b>") == "<b>"
    assert Sandbox(autoescape=True).from_string(source).render(x="<b>") == "&lt;b&gt;"
    with_filter = Sandbox()
    with_filter.filters["crie"] = str.upper
    assert with_filter.from_string("{{ x | crie }}").render(x="a") == "A"
    with pytest.raises(jinja2.TemplateSyntaxError, match="crie"):
        Sandbox().from_string("{{ x | crie }}")  # never the code made where it existed
    assert len(list(cache.glob("*.code"))) == 3


def test_the_sandbox_s_checks_survive_the_cache(cache, monkeypatch):
    Sandbox().from_string("{{ 'ab' * n }}").render(n=2)
    _new_process(monkeypatch)
    with pytest.raises(jinja2.exceptions.SecurityError):
        Sandbox().from_string("{{ 'ab' * n }}").render(n=10**7)


def test_a_broken_template_is_not_kept(cache):
    for _ in range(2):
        with pytest.raises(jinja2.TemplateSyntaxError):
            Sandbox().from_string("{% if x %}")
    assert not list(cache.glob("*.code"))


def test_a_damaged_file_is_compiled_again(cache, monkeypatch):
    Sandbox().from_string("{{ a }}")
    (kept,) = cache.glob("*.code")
    kept.write_bytes(b"\x00garbage")
    _new_process(monkeypatch)
    assert Sandbox().from_string("{{ a }}").render(a=1) == "1"


def test_a_folder_others_may_write_in_is_not_used(cache, monkeypatch):
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)
    (cache / "planted.code").write_bytes(b"")
    assert Sandbox().from_string("{{ a }}").render(a=2) == "2"
    assert [p.name for p in cache.iterdir()] == ["planted.code"]


def test_off_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("CIL_CACHE", "off")
    monkeypatch.setattr(compiled, "_MEMORY", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert compiled.cache_folder() is None
    assert Sandbox().from_string("{{ a }}").render(a=3) == "3"
    assert not list(tmp_path.iterdir())


def test_the_default_folder_is_the_user_s_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("CIL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert compiled.cache_folder() == tmp_path / "cil" / "jinja"
