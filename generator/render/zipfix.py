"""Byte-identical zip containers (DOCX, ODT) from identical content."""

from __future__ import annotations

import io
import re
import zipfile

_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
# Entries that conventions (ODF: a requirement) want first in the archive.
_FIRST = ("mimetype", "[Content_Types].xml")


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with sorted entries, fixed timestamps and attributes.

    Zip writers stamp the current time on every entry and keep their own order; both change
    the bytes of an otherwise identical document. ODF needs `mimetype` first and stored
    uncompressed, which is kept.
    """
    return write_zip(zip_entries(data))


def replace_entries(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The zip `data` with some entries replaced or added, normalised."""
    return write_zip(zip_entries(data) | changes)


def read_entry(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return src.read(name)


def zip_entries(data: bytes) -> dict[str, bytes]:
    """Every file of the zip, by name, in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return {info.filename: src.read(info) for info in src.infolist() if not info.is_dir()}


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def write_zip(entries: dict[str, bytes]) -> bytes:
    """A normalised zip of `entries` (see `normalise_zip`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(entries, key=_order):
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


_ODF_DATES = re.compile(rb"<(meta:creation-date|dc:date|meta:print-date)>[^<]*</\1>")
_ODF_VOLATILE = re.compile(rb"<meta:(editing-duration|editing-cycles)>[^<]*</meta:\1>")
_ODF_RSID = re.compile(rb'(config:name="Rsid(?:Root)?" config:type="int">)\d+<')
# LibreOffice names heading anchors "__RefHeading___Toc<counter>_<random>".
_ODF_ANCHOR = re.compile(rb"__RefHeading___Toc\d+_\d+")
# ...and lists "list<random>" (xml:id, text:continue-list).
_ODF_LIST_ID = re.compile(rb'(?<=")list\d+(?=")')


def fix_odt(data: bytes, iso_timestamp: str) -> bytes:
    """Make an ODT saved by LibreOffice reproducible, then normalise its zip.

    LibreOffice stamps the clock into meta.xml, a random revision id into settings.xml and a
    random number into every heading anchor and list id of content.xml; they are replaced by
    fixed values (renumbered in order of appearance).
    """
    entries = zip_entries(data)
    stamp = iso_timestamp.rstrip("Z").encode()
    meta = _ODF_DATES.sub(lambda m: b"<%s>%s</%s>" % (m[1], stamp, m[1]), entries["meta.xml"])
    entries["meta.xml"] = _ODF_VOLATILE.sub(b"", meta)
    entries["settings.xml"] = _ODF_RSID.sub(rb"\g<1>1<", entries.get("settings.xml", b""))
    names: dict[bytes, bytes] = {}

    def rename(match: re.Match[bytes]) -> bytes:
        return names.setdefault(match[0], b"__RefHeading___Toc%d" % (len(names) + 1))

    lists: dict[bytes, bytes] = {}

    def rename_list(match: re.Match[bytes]) -> bytes:
        return lists.setdefault(match[0], b"list%d" % (len(lists) + 1))

    for part in ("content.xml", "styles.xml"):
        if part in entries:
            entries[part] = _ODF_ANCHOR.sub(rename, entries[part])
            entries[part] = _ODF_LIST_ID.sub(rename_list, entries[part])
    return write_zip(entries)
