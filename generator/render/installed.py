"""Whether LibreOffice is installed, known without importing the converters.

The up-to-date check of a build asks it (an output made without LibreOffice is out of date
once it is installed), and a no-op rebuild must not pay for python-docx or pypdf to know it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def libreoffice_available() -> bool:
    """True when soffice and a Python with the UNO bridge are both installed."""
    return soffice() is not None and uno_python() is not None
