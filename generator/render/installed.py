"""Whether LibreOffice is installed, known without importing the converters.

The up-to-date check of a build asks it (an output made without LibreOffice is out of date
once it is installed), and a no-op rebuild must not pay for python-docx or pypdf to know it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from functools import cache
from pathlib import Path

_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


@cache
def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def uno_python() -> str | None:
    """A Python that can `import uno` (CIL_UNO_PYTHON, else Debian's or LibreOffice's own)."""
    candidates = [os.environ.get("CIL_UNO_PYTHON", ""), *_UNO_PYTHONS, sys.executable]
    for python in filter(None, candidates):
        if not Path(python).exists():
            continue
        try:
            ok = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if ok.returncode == 0:
            return python
    return None


class _Early:
    asking: threading.Thread | None = None


def ask_early() -> None:
    """Start finding the UNO Python (a process importing uno, about 0.05 s) in a thread, so that
    `libreoffice_available` has its answer when asked later: a no-op build meanwhile checks
    its outputs."""
    if _Early.asking is None and soffice() is not None:
        _Early.asking = threading.Thread(target=uno_python, daemon=True)
        _Early.asking.start()


def libreoffice_available() -> bool:
    """True when soffice and a Python with the UNO bridge are both installed."""
    if _Early.asking is not None:
        _Early.asking.join()  # its answer is in uno_python's cache
    return soffice() is not None and uno_python() is not None
