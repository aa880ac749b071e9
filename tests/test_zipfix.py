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


def test_a_big_entry_is_deflated_once_and_read_back() -> None:
    styles = b"<w:style/>" * 10_000
    first = write_zip({"word/styles.xml": styles, "word/document.xml": b"<a/>"})
    assert styles in zipfix._DEFLATED
    second = write_zip({"word/styles.xml": styles, "word/document.xml": b"<b/>"})
    with zipfile.ZipFile(io.BytesIO(second)) as archive:
        assert archive.testzip() is None
        assert archive.read("word/styles.xml") == styles
    assert first != second


def test_the_kept_entries_stay_bounded(monkeypatch) -> None:
    monkeypatch.setattr(zipfix, "_KEPT_BYTES", 100_000)
    monkeypatch.setattr(zipfix, "_DEFLATED", {})
    for n in range(10):
        write_zip({"big.xml": bytes([n]) * 40_000})
    assert sum(len(k) for k in zipfix._DEFLATED) <= 100_000


def test_odf_mimetype_stays_first_and_stored() -> None:
    data = write_zip({"content.xml": b"x" * 20_000, "mimetype": b"application/vnd.oasis"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
