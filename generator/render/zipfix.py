"""Byte-identical zip containers (DOCX, ODT) from identical content."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import threading
import zipfile
import zlib

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
    """A normalised zip of `entries` (see `normalise_zip`).

    Written here byte for byte as `zipfile` writes it (`tests/test_zipfix.py`), so that an
    entry met before is not deflated again: every DOCX of a build carries the same styles
    (800 kB in a deliberation), and deflating them was a fifth of a deliberation's time."""
    names = sorted(entries, key=_order)
    if len(names) > 0xFFFF or sum(map(len, entries.values())) > _SMALL_ENOUGH:
        return _zipfile_writes(entries, names)  # ZIP64 records: zipfile knows them
    out, directory = bytearray(), bytearray()
    for name in names:
        data = entries[name]
        stored = name == "mimetype"
        crc, packed = (zlib.crc32(data), data) if stored else _deflated(data)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        # version needed 2.0, reserved, flags, method, time, date, CRC, sizes
        common = (20, 0, flags, method, _DOS_TIME, _DOS_DATE, crc, len(packed), len(data))
        # made by version 2.0 on Unix; no extra field, comment nor disk; attributes; offset
        directory += _CENTRAL.pack(
            b"PK\x01\x02", 20, 3, *common, len(encoded), 0, 0, 0, 0, _ATTRIBUTES, len(out)
        )
        directory += encoded
        out += _LOCAL.pack(b"PK\x03\x04", *common, len(encoded), 0)
        out += encoded
        out += packed
    count = len(names)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # structCentralDir
_END = struct.Struct("<4s4H2LH")  # structEndArchive
_DOS_TIME, _DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1  # _FIXED_DATE
_ATTRIBUTES = 0o644 << 16
_UTF8_NAME = 0x800
_SMALL_ENOUGH = 1 << 30  # far below ZIP64's 2 GiB, whatever deflate makes of it


def _zipfile_writes(entries: dict[str, bytes], names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.create_system = 3
            info.external_attr = _ATTRIBUTES
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


#: Deflated entries kept by content, once met twice: the styles, fonts and images that every
#: document repeats, not the body of each (a batch worker would keep every territory's).
_DEFLATED: dict[bytes, tuple[int, bytes]] = {}
_MET: set[bytes] = set()
_KEPT_FROM = 16 * 1024  # smaller entries cost less to deflate than to look up
_KEPT_BYTES = 16 * 1024 * 1024
_MET_AT_MOST = 4096
_KEEPING = threading.Lock()  # documents are finished on pandoc's threads too


def _deflated(data: bytes) -> tuple[int, bytes]:
    """CRC and raw deflate of `data`, as zipfile makes them (level 6, no zlib header)."""
    digest = hashlib.blake2b(data, digest_size=20).digest() if len(data) >= _KEPT_FROM else b""
    kept = _DEFLATED.get(digest) if digest else None
    if kept is not None:
        return kept
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    made = zlib.crc32(data), compressor.compress(data) + compressor.flush()
    if digest:
        with _KEEPING:
            if digest not in _MET:
                if len(_MET) >= _MET_AT_MOST:
                    _MET.clear()
                _MET.add(digest)
            else:
                if sum(len(v[1]) for v in _DEFLATED.values()) + len(made[1]) > _KEPT_BYTES:
                    _DEFLATED.clear()
                _DEFLATED[digest] = made
    return made


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
