"""What the corpus runner (tests/test_corpus.py) checks after every case, and the tools it fakes.

- `tree`/`changes`: a snapshot of a folder (every file, folder and link with its size and
  modification time), to prove that a case wrote nothing outside its output folder.
- `output_sets`: every output folder under `--out` holds one complete set: the files its
  manifest lists, with the hashes it lists, and nothing else (no staging, no temporary file).
- `text_of`: the text a reader sees in an output, whatever its format (md read back by pandoc,
  html, docx, odt, pdf, xlsx), to check that hostile cells render literally.
- `unsafe_markup`: what must never be in an output (a script, an event handler, a link out, an
  element or attribute made of a cell's text in HTML, DOCX or ODT XML).
- `fake_tool`: a pandoc or soffice that fails, hangs, crashes or is missing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pypandoc

#: Cells of the hostile cases hold this word inside would-be markup: it may show as text, never
#: as the name or the value of an element or attribute.
MARKER = "INJECTED"
#: Attributes that legitimately carry a document's text (alternative text, heading anchors,
#: the HTML's author and title in <meta content>).
TEXT_ATTRIBUTES = {"alt", "aria-label", "title", "id", "descr", "name", "anchor", "caption"}
TEXT_ATTRIBUTES |= {"content"}
#: Resolved once: a case may hide tools from PATH or fake pandoc.
PANDOC = pypandoc.get_pandoc_path()
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
SOFFICE = shutil.which("soffice") or "soffice"
LEFTOVER = re.compile(r"^\.|\.tmp$|staging")


# --- Snapshots ----------------------------------------------------------------------------------


def tree(root: Path, skip: list[Path]) -> dict[str, tuple[str, int, int]]:
    """Every entry under `root` but those under `skip`: kind, size and modification time."""
    found: dict[str, tuple[str, int, int]] = {}
    skipped = [s.resolve() for s in skip]
    if not root.exists():
        return found
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = [f for f in folders if (here / f).resolve() not in skipped]
        for name in folders + files:
            path = here / name
            if path.resolve() in skipped and not path.is_symlink():
                continue
            info = path.lstat()
            kind = "link" if stat.S_ISLNK(info.st_mode) else "dir" if path.is_dir() else "file"
            if kind == "dir":  # what a folder holds is compared entry by entry
                found[path.relative_to(root).as_posix()] = (kind, 0, 0)
            else:
                found[path.relative_to(root).as_posix()] = (kind, info.st_size, info.st_mtime_ns)
    return found


def changes(before: dict, after: dict) -> list[str]:
    return sorted(
        [f"new {p}" for p in after.keys() - before.keys()]
        + [f"gone {p}" for p in before.keys() - after.keys()]
        + [f"changed {p}" for p in before.keys() & after.keys() if before[p] != after[p]]
    )


def files_of(out: Path) -> dict[str, bytes]:
    """Every file under an output folder (the lock file aside), with its bytes."""
    if not out.is_dir():
        return {}
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


# --- Output sets --------------------------------------------------------------------------------


def output_sets(out: Path) -> list[str]:
    """What is wrong with the output folders under `out`: each must hold exactly what its
    manifest lists, with the listed hashes, and no leftover (staging folder, temporary file)."""
    problems: list[str] = []
    if not out.is_dir():
        return problems
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if path.name != ".lock" and LEFTOVER.search(path.name):
            problems.append(f"leftover {relative}")
    for manifest in sorted(out.rglob("manifest.json")):
        folder = manifest.parent
        documents = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
        listed = {n: d for entry in documents.values() for n, d in entry["outputs"].items()}
        present = {
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name not in (".lock", "manifest.json")
        }
        for name in sorted(present - listed.keys()):
            problems.append(f"{folder.name}/{name} is not in the manifest")
        for name, digest in sorted(listed.items()):
            file = folder / name
            if not file.is_file():
                problems.append(f"{folder.name}/{name} is listed but missing")
            elif hashlib.sha256(file.read_bytes()).hexdigest() != digest:
                problems.append(f"{folder.name}/{name} differs from the manifest")
    for folder in sorted({p.parent for p in out.rglob("*") if p.is_file()}):
        names = {p.name for p in folder.iterdir() if p.is_file()} - {".lock"}
        if folder.name.isdigit() and names and "manifest.json" not in names:  # a year's outputs
            problems.append(f"{folder.relative_to(out)} holds outputs without a manifest")
    return problems


# --- The text of an output ----------------------------------------------------------------------


def _normal(text: str) -> str:
    """Text compared as a reader sees it: NFC, French typography's spaces and apostrophe
    made plain, any run of blanks one space."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def _inlines(node: object, parts: list[str]) -> None:
    """The text of a pandoc JSON AST: strings and code as text; raw markup and math are not
    text (a cell that became markup must not count as shown)."""
    if isinstance(node, list):
        for item in node:
            _inlines(item, parts)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        parts.append(str(content))
    elif kind in ("Space", "SoftBreak"):
        parts.append(" ")
    elif kind == "LineBreak":
        parts.append("\n")
    elif kind in ("Code", "CodeBlock"):
        parts.append(str(content[1]))  # type: ignore[index]
    elif kind in ("RawInline", "RawBlock", "Math"):
        return
    elif kind == "Image":  # [attributes, alternative text, target]: the alternative text shows
        _inlines(content[1], parts)  # type: ignore[index]
    elif kind in ("Para", "Plain", "Header"):
        parts.append("\n")
        _inlines(content, parts)
        parts.append("\n")
    else:
        _inlines(content, parts)
    for value in node.values():
        if isinstance(value, dict):
            _inlines(value, parts)


def _markdown_text(data: bytes) -> str:
    done = subprocess.run(
        [PANDOC, "--from=markdown-smart", "--to=json"],
        input=data,
        capture_output=True,
        check=True,
    )
    parts: list[str] = []
    _inlines(json.loads(done.stdout)["blocks"], parts)
    return "".join(parts)


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._hidden += 1
        for name, value in attrs:
            if name == "alt" and value:
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._hidden -= 1
        if tag in ("p", "div", "td", "th", "li", "h1", "h2", "h3", "h4", "figcaption", "br"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(_bytes_io(data)) as archive:
        pattern = re.compile(r"word/(document|header\d*|footer\d*)\.xml$")
        parts = [n for n in archive.namelist() if pattern.match(n)]
        lines = []
        for name in sorted(parts):
            root = ElementTree.fromstring(archive.read(name))
            for paragraph in root.iter(f"{W}p"):
                words = []
                for node in paragraph.iter():
                    if node.tag == f"{W}t":
                        words.append(node.text or "")
                    elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                        words.append(" ")
                lines.append("".join(words))
            for drawing in root.iter(f"{WP}docPr"):
                lines.append(drawing.get("descr", ""))
    return "\n".join(lines)


def _odt_text(data: bytes) -> str:
    with zipfile.ZipFile(_bytes_io(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    lines = []
    for node in root.iter():
        if node.tag in (f"{T}p", f"{T}h"):
            lines.append(_odt_inline(node))
    return "\n".join(lines)


def _odt_inline(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{T}s":
            parts.append(" " * int(child.get(f"{T}c", "1")))
        elif child.tag in (f"{T}tab", f"{T}line-break"):
            parts.append(" ")
        elif child.tag not in (f"{T}p", f"{T}h", f"{T}note"):
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _pdf_text(path: Path) -> str:
    done = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def _xlsx_text(path: Path) -> str:
    workbook = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _bytes_io(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)


def text_of(path: Path) -> str | None:
    """The text a reader sees in an output; None for what has no text (images, manifest)."""
    data = path.read_bytes()
    suffix = path.suffix
    if suffix == ".md":
        text = _markdown_text(data)
    elif suffix == ".html":
        parser = _HtmlText()
        parser.feed(data.decode("utf-8"))
        text = "".join(parser.parts)
    elif suffix == ".docx":
        text = _docx_text(data)
    elif suffix == ".odt":
        text = _odt_text(data)
    elif suffix == ".pdf":
        text = _pdf_text(path)
    elif suffix == ".xlsx":
        text = _xlsx_text(path)
    else:
        return None
    return _normal(text)


def shows(text: str, literal: str, suffix: str) -> bool:
    """Whether `literal` shows in `text` as typed (a PDF may break a long line anywhere)."""
    if suffix == ".pdf":
        return re.sub(r"\s", "", _normal(literal)) in re.sub(r"\s", "", text)
    return _normal(literal).strip() in text


# --- Markup that must never come from a cell ----------------------------------------------------


class _HtmlAudit(HTMLParser):
    FORBIDDEN = {"script", "iframe", "object", "embed", "link", "base", "form", "input", "frame"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.policy = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.FORBIDDEN or MARKER in tag:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or MARKER in name:
                self.problems.append(f"<{tag} {name}=…> attribute")
            if MARKER in value and name not in TEXT_ATTRIBUTES:
                self.problems.append(f'<{tag} {name}="{value[:60]}"> made of a cell')
            if name == "src" and not _our_png(value):
                self.problems.append(f"<{tag} src={value[:60]!r}>: not one of the build's images")
            if name == "href" and not value.startswith(("#", "https://", "http://", "mailto:")):
                self.problems.append(f"<{tag} href={value[:60]!r}>: a link to a file or a script")
            if name == "href" and MARKER in value:
                self.problems.append(f"<{tag} href={value[:60]!r}>: a link made of a cell")
            if name == "style" and ("url(" in value or "expression(" in value):
                self.problems.append(f"<{tag} style={value[:60]!r}>")
            if value.lower().lstrip().startswith(("file:", "javascript:")):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
        if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy":
            self.policy = "default-src 'none'" in (dict(attrs).get("content") or "")


def _our_png(value: str) -> bool:
    prefix = "data:image/png;base64,"
    return value.startswith(prefix) and base64.b64decode(value[len(prefix) :])[:4] == b"\x89PNG"


def _xml_audit(name: str, data: bytes) -> list[str]:
    problems = []
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [f"{name} is not well-formed XML: {error}"]
    for element in root.iter():
        if MARKER in str(element.tag):
            problems.append(f"{name}: element {element.tag} made of a cell")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if MARKER in attribute or (MARKER in value and local not in TEXT_ATTRIBUTES):
                problems.append(f"{name}: attribute {local}={value[:60]!r} made of a cell")
        if element.tag in (f"{W}instrText", f"{W}fldSimple") and MARKER in (
            (element.text or "") + element.get(f"{W}instr", "")
        ):
            problems.append(f"{name}: a field made of a cell")
    return problems


def unsafe_markup(path: Path) -> list[str]:
    """Markup in an output that no cell may make: see the module's docstring."""
    suffix = path.suffix
    if suffix == ".html":
        audit = _HtmlAudit()
        audit.feed(path.read_text(encoding="utf-8"))
        if not audit.policy:
            audit.problems.append("no Content-Security-Policy")
        return [f"{path.name}: {p}" for p in audit.problems]
    if suffix in (".docx", ".odt", ".xlsx"):
        problems = []
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    problems += _xml_audit(f"{path.name}/{name}", archive.read(name))
                if name.endswith(".rels") and b'TargetMode="External"' in archive.read(name):
                    problems.append(f"{path.name}/{name}: an external link")
        return problems
    return []


# --- Tools that fail ----------------------------------------------------------------------------

FAKES = {
    "fails": '#!/bin/sh\necho "{tool}: simulated failure: out of memory" >&2\nexit 3\n',
    "hangs": "#!/bin/sh\nexec sleep 300\n",
    "crashes": "#!/bin/sh\nkill -SEGV $$\n",
    # a LibreOffice that starts, then dies with its whole process group while cil waits for it
    "dies": '#!/bin/sh\n{real} "$@" &\nsleep 0.5\nkill -KILL 0\n',
}


def fake_tool(folder: Path, tool: str, behaviour: str) -> Path:
    """An executable named `tool` in `folder` that behaves as told (missing: none at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / tool
    if behaviour == "missing":
        return path
    path.write_text(FAKES[behaviour].format(tool=tool, real=SOFFICE), encoding="utf-8")
    path.chmod(0o755)
    return path
