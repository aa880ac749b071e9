"""Our zip writer against zipfile's: the same bytes for any entries, deflated once."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import zipfix
from generator.render.zipfix import _order, _zipfile_writes, write_zip, zip_entries

names = st.one_of(
    st.sampled_from(["mimetype", "[Content_Types].xml", "word/styles.xml", "_rels/.rels"]),
    st.text(min_size=1, max_size=30).filter(lambda n: "\x00" not in n and not n.endswith("/")),
)
contents = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=8), st.integers(0, 6000)),
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(names, contents, max_size=8))
def test_the_same_bytes_as_zipfile(entries: dict[str, bytes]) -> None:
    expected = _zipfile_writes(entries, sorted(entries, key=_order))
    assert write_zip(entries) == expected
    assert write_zip(entries) == expected  # again, from the kept deflated entries
    assert zip_entries(expected) == entries


def test_a_big_entry_met_twice_is_then_deflated_once(monkeypatch) -> None:
    monkeypatch.setattr(zipfix, "_DEFLATED", {})
    monkeypatch.setattr(zipfix, "_MET", set())
    styles = b"<w:style/>" * 10_000
    body = b"<w:body>" + b"x" * 20_000
    first = write_zip({"word/styles.xml": styles, "word/document.xml": body})
    assert not zipfix._DEFLATED  # met once: nothing kept, a body is not met again
    write_zip({"word/styles.xml": styles, "word/document.xml": b"<a/>"})
    assert len(zipfix._DEFLATED) == 1  # the styles, met twice
    calls = []
    compressor = zipfix.zlib.compressobj
    monkeypatch.setattr(zipfix.zlib, "compressobj", lambda *a: calls.append(a) or compressor(*a))
    third = write_zip({"word/styles.xml": styles, "word/document.xml": b"<b/>"})
    assert len(calls) == 1  # the small body only
    with zipfile.ZipFile(io.BytesIO(third)) as archive:
        assert archive.testzip() is None
        assert archive.read("word/styles.xml") == styles
    assert first != third


def test_the_kept_entries_stay_bounded(monkeypatch) -> None:
    monkeypatch.setattr(zipfix, "_KEPT_BYTES", 3_000)
    monkeypatch.setattr(zipfix, "_DEFLATED", {})
    monkeypatch.setattr(zipfix, "_MET", set())
    for n in range(10):
        for _ in range(2):
            write_zip({"big.xml": bytes([n]) + bytes(range(256)) * 200})
    assert sum(len(v[1]) for v in zipfix._DEFLATED.values()) <= 3_000
    assert len(zipfix._MET) <= zipfix._MET_AT_MOST


def test_odf_mimetype_stays_first_and_stored() -> None:
    data = write_zip({"content.xml": b"x" * 20_000, "mimetype": b"application/vnd.oasis"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
