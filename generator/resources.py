"""Where cil's own files are: the templates, the content blocks and the example territories.

The repository keeps `templates/`, `content/` and `territories/` at its root (the product's
shape); a wheel carries them as package data under `generator/_data/` (setup.py copies them
there at build time). This module is the one place that knows both: everything else imports
the folders from here.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: The `generator` package itself (its code is part of each build's fingerprint).
PACKAGE = Path(str(files("generator")))


def _data_root() -> Path:
    """generator/_data in an installed wheel, else the checkout that an editable install uses.

    Paths are plain `Path`s: Jinja, docxtpl and the manifest need real files, so cil runs from
    an unpacked installation (a wheel installed by pip), never from a zip.
    """
    packaged = PACKAGE / "_data"
    return packaged if packaged.is_dir() else PACKAGE.parent


#: The folder that holds templates/, content/ and territories/.
ROOT = _data_root()
TEMPLATES = ROOT / "templates"
CONTENT = ROOT / "content"
#: The example territories bundled with cil.
EXAMPLES = ROOT / "territories"


def working_territories() -> Path:
    """The territories of the project in the working directory, where `cil new` writes."""
    return Path.cwd() / "territories"


def territories() -> Path:
    """The working directory's territories/ when it has one, else the bundled examples."""
    here = working_territories()
    return here if here.is_dir() else EXAMPLES
