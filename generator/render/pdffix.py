"""Make LibreOffice's PDF byte-identical from one run to the next.

LibreOffice stamps the clock into /CreationDate and derives /ID and /DocChecksum from it (it
ignores SOURCE_DATE_EPOCH). All three are rewritten in place with values of the same length,
so the cross-reference offsets stay valid; a PDF that does not look as expected is left alone.
"""

from __future__ import annotations

import hashlib
import re

_CREATION = re.compile(rb"/CreationDate\(D:(\d{14})(Z'|[+-]\d\d'\d\d')\)")
_ID = re.compile(rb"/ID \[ <([0-9A-F]{32})>\s*<([0-9A-F]{32})> \]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-F]{32})")


def fix_pdf(data: bytes, iso_timestamp: str) -> bytes:
    """`data` with the creation date set to `iso_timestamp` (UTC) and ids derived from content."""
    creations, ids, checksums = (list(p.finditer(data)) for p in (_CREATION, _ID, _CHECKSUM))
    if len(creations) != 1 or len(ids) != 1 or len(checksums) > 1:
        return data
    digits = re.sub(r"\D", "", iso_timestamp)[:14].encode()
    zone = b"Z'" if creations[0][2] == b"Z'" else b"+00'00'"
    data = _CREATION.sub(b"/CreationDate(D:" + digits + zone + b")", data)
    blank = _CHECKSUM.sub(b"/DocChecksum /" + b"0" * 32, _ID.sub(_id(b"0" * 32), data))
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return _CHECKSUM.sub(b"/DocChecksum /" + digest, _ID.sub(_id(digest), data))


def _id(value: bytes) -> bytes:
    return b"/ID [ <" + value + b">\n<" + value + b"> ]"
