"""Word templates (docxtpl): checked paragraph by paragraph, then rendered reproducibly.

Secretariats edit these templates in Word or LibreOffice, which split tags across runs and
curl their quotes. A problem is reported with the text of the paragraph where it sits (Word's
XML line numbers mean nothing to a user): each paragraph becomes one line of a plain Jinja
template, so that Jinja's line numbers lead back to a paragraph.
"""

from __future__ import annotations

import functools
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from lxml import etree
from rapidfuzz import process

from generator.errors import Location, Problems, TemplateError, display_path
from generator.messages import _
from generator.render.meta import DocumentMeta
from generator.render.ooxml import w
from generator.render.templates import Sandbox, unsafe
from generator.render.typography import typeset_word_part
from generator.render.zipfix import write_zip, zip_entries

_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_PREFIX = re.compile(r"([{][{%#])(?:p|r|tr|tc)(?=\s)")  # docxtpl's {%p for %}, {{r x }}...
_MERGE = re.compile(r"{%\s*[vh]m\s*%}")
_CELL_ARGUMENT = re.compile(r"{%\s*(?:colspan|cellbg)\s+(.*?)\s*%}")
_TAG = re.compile(r"{[{%#].*?[}%#]}")
_QUOTES = str.maketrans("“”‘’", "\"\"''")
_BLOCK = re.compile(r"{%-?\s*(end)?(for|if|macro|call|filter|with|raw|autoescape)\b")
_DELIMITERS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
_UNKNOWN_FILTER = re.compile(r"No filter named '([^']*)'")
_SHOWN = 90  # characters of a paragraph quoted in a message


@dataclass(frozen=True)
class Paragraph:
    text: str  # as Word shows it
    place: str  # "" in the body, "table 1, row 2, column 1" in a table, "page header"


def _paragraphs(part: str, root: etree._Element) -> list[Paragraph]:
    tables = {table: n for n, table in enumerate(root.iter(w("tbl")), start=1)}
    found = []
    for paragraph in root.iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        place = "" if part == "document" else f"page {part.rstrip('0123456789')}"
        cell = next(paragraph.iterancestors(w("tc")), None)
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            row_number = table.findall(w("tr")).index(row) + 1
            column = row.findall(w("tc")).index(cell) + 1
            where = _(
                "table {tables}, row {row_number}, column {column}",
                tables=tables[table],
                row_number=row_number,
                column=column,
            )
            place = f"{place}, {where}" if place else where
        found.append(Paragraph(text, place))
    return found


def _as_jinja(text: str) -> str:
    """A paragraph's text as docxtpl hands it to Jinja: prefixes dropped, quotes straightened."""
    text = _CELL_ARGUMENT.sub(r"{{ \1 }}", _MERGE.sub("", _PREFIX.sub(r"\1", text)))
    return _TAG.sub(lambda tag: tag[0].translate(_QUOTES), text)


def _quote(paragraph: Paragraph, needle: str = "") -> str:
    text = paragraph.text
    if len(text) > _SHOWN:
        start = max(0, min(text.find(needle) if needle else 0, len(text) - _SHOWN))
        text = ("…" if start else "") + text[start : start + _SHOWN] + "…"
    where = f" ({paragraph.place})" if paragraph.place else ""
    return _("in the paragraph « {text} »{where}", text=text, where=where)


def _template_line() -> int | None:
    """The template line being rendered, from the Jinja frame on the call stack."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def _recorder(found: dict[tuple[int | None, str], list[str]], names: list[str]) -> type:
    """An Undefined that notes where a missing name is used, and lets the rendering go on."""

    class Recorder(jinja2.Undefined):
        def _note(self) -> None:
            owner = self._undefined_obj
            if owner is jinja2.utils.missing:
                known = names
            elif isinstance(owner, Mapping):
                known = [str(k) for k in owner]
            else:
                known = [a for a in dir(owner) if not a.startswith("_")]
            found.setdefault((_template_line(), str(self._undefined_name)), known)

        def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
            self._note()
            return ""

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            self._note()
            return self

        def __str__(self) -> str:
            self._note()
            return ""

        def __iter__(self) -> Iterator[Any]:
            self._note()
            return iter(())

        def __bool__(self) -> bool:
            self._note()
            return False

        def __len__(self) -> int:
            self._note()
            return 0

    return Recorder


def _tolerant(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that gives up quietly on a missing value (already noted by the Recorder)."""

    def apply(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, jinja2.Undefined):
            str(value)
            return ""
        return function(value, *args, **kwargs)

    return apply


def _tag_error(env: jinja2.Environment, line: str) -> str | None:
    """What is wrong with one paragraph's tags taken alone: a tag never spans paragraphs."""
    for start, end in _DELIMITERS:
        if line.count(start) > line.count(end):
            return f"« {start} » opens a tag that « {end} » does not close in this paragraph"
        if line.count(start) < line.count(end):
            return f"« {end} » closes a tag that « {start} » did not open in this paragraph"
    if "{%" in line:
        return None  # a block tag is checked with the paragraphs that close it
    try:
        env.compile(line)
    except jinja2.TemplateSyntaxError as error:
        unknown = _UNKNOWN_FILTER.match(error.message or "")
        if not unknown:
            return error.message
        guess = process.extractOne(unknown[1], list(env.filters), score_cutoff=70)
        hint = _(' — did you mean "{guess}"?', guess=guess[0]) if guess else ""
        return f'unknown filter "{unknown[1]}"{hint}'
    return None


def _unclosed_block(lines: list[str]) -> int | None:
    """Line of the innermost block left open ({% for %} without {% endfor %}...)."""
    stack: list[int] = []
    for number, line in enumerate(lines, start=1):
        for match in _BLOCK.finditer(line):
            if match[1] and stack:
                stack.pop()
            elif not match[1]:
                stack.append(number)
    return stack[-1] if stack else None


def _check_part(
    shown: str,
    paragraphs: list[Paragraph],
    contexts: Sequence[Mapping[str, Any]],
    filters: Mapping[str, Callable[..., Any]],
    report: Callable[[str], None],
) -> None:
    lines = [_as_jinja(p.text) for p in paragraphs]
    found: dict[tuple[int | None, str], list[str]] = {}
    names = sorted({name for context in contexts for name in context})
    # The check renders the template too: it runs in the same sandbox as the real rendering.
    env = Sandbox(undefined=_recorder(found, names), autoescape=False)
    env.filters.update({name: _tolerant(f) for name, f in filters.items()})
    broken = [(number, _tag_error(env, line)) for number, line in enumerate(lines)]
    for number, error in broken:
        if error:
            report(f"{_quote(paragraphs[number])}: broken tag — {error}")
    if any(error for _, error in broken):
        return  # the structure is checked once every paragraph's own tags are whole
    try:
        template = env.from_string("\n".join(lines))
    except jinja2.TemplateSyntaxError as error:
        lineno = error.lineno
        if error.message and error.message.startswith("Unexpected end of template"):
            lineno = _unclosed_block(lines) or lineno
        report(f"{_quote(paragraphs[lineno - 1])}: broken tag — {error.message}")
        return
    for context in contexts:
        try:
            template.render(context)
        except SecurityError as error:  # an attempt, not a mistake: stop here, say it plainly
            line = _traceback_line(error)
            where = _quote(paragraphs[line - 1]) if line else "somewhere"
            raise TemplateError(
                _("{where}: {error}", where=where, error=unsafe(error)), Location(shown)
            ) from error
        except Exception as error:  # a filter given the wrong kind of value, a bad test...
            line = _traceback_line(error)
            where = _quote(paragraphs[line - 1]) if line else "somewhere"
            report(f"{where}: {type(error).__name__}: {error}")
    for (line, name), known in found.items():
        guess = process.extractOne(name, known, score_cutoff=60) if known else None
        hint = _(' — did you mean "{guess}"?', guess=guess[0]) if guess else ""
        where = _quote(paragraphs[line - 1], name) if line else "somewhere"
        report(f'{where}: "{name}" is not provided by the data{hint}')


def _traceback_line(error: BaseException) -> int | None:
    line, tb = None, error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":  # Jinja maps it to template lines
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _style_problems(
    parts: dict[str, etree._Element], styles: etree._Element | None, required: Sequence[str]
) -> list[str]:
    ids = {s.get(w("styleId")): s for s in ([] if styles is None else styles.iter(w("style")))}
    names = {n.get(w("val")) for s in ids.values() for n in s.iter(w("name"))}
    messages = [
        f"the style « {name} » is missing — the document needs it; restore it from the default "
        "template or create it in Word"
        for name in required
        if name not in names
    ]
    reported: set[str] = set()
    for part, root in parts.items():
        for used in root.iter(w("pStyle"), w("rStyle"), w("tblStyle")):
            style = used.get(w("val"))
            if style in ids or style in reported:
                continue
            reported.add(style)
            owner = next(used.iterancestors(w("p"), w("tbl")), None)
            text = "".join(t.text or "" for t in owner.iter(w("t"))) if owner is not None else ""
            where = _quote(Paragraph(text, "" if part == "document" else f"page {part}"))
            messages.append(
                f"{where}: the style « {style} » is not defined in the template — apply "
                "an existing style in Word"
            )
    return messages


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_WEB = ("https://", "http://", "mailto:")


def _links_out(entries: Mapping[str, bytes]) -> list[str]:
    """External relationships Word would follow on opening (a linked image, a frame, an
    attached template, a field's file): only hyperlinks to web addresses may leave the file."""
    messages = []
    for name, data in sorted(entries.items()):
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError:
            continue
        for link in root:
            if link.get("TargetMode") != "External":
                continue
            target = link.get("Target", "")
            if link.get("Type") == _HYPERLINK and target.startswith(_WEB):
                continue
            messages.append(
                _(
                    "the template links to « {target} », outside the file: insert the image "
                    "(or the text) into the document instead of linking it",
                    target=target,
                )
            )
    return messages


def word_template_problems(
    path: Path,
    shown: str,
    contexts: Sequence[Mapping[str, Any]],
    filters: Mapping[str, Callable[..., Any]],
    required_styles: Sequence[str] = (),
) -> Problems:
    """Broken tags, names the data does not provide, missing styles: each with its paragraph.

    A tag that the sandbox refuses (Python internals) raises a `TemplateError` at once."""
    problems = Problems()

    def report(message: str) -> None:
        if message not in {p.message for p in problems.items}:
            problems.add(Location(shown), message)

    try:
        with zipfile.ZipFile(path) as archive:
            entries = {
                n: archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels"))
            }
        parts = {
            match[1]: etree.fromstring(data)
            for name, data in sorted(entries.items())
            if (match := _PARTS.match(name))
        }
        styles = (
            etree.fromstring(entries["word/styles.xml"]) if "word/styles.xml" in entries else None
        )
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        problems.add(
            Location(shown), _("not a Word document that can be read ({error})", error=error)
        )
        return problems
    if "document" not in parts:
        problems.add(Location(shown), _("not a Word document: it has no word/document.xml"))
        return problems
    for message in _links_out(entries):
        report(message)
    for part, root in parts.items():
        _check_part(shown, _paragraphs(part, root), contexts, filters, report)
    for message in _style_problems(parts, styles, required_styles):
        report(message)
    return problems


class _WordSandbox(Sandbox):
    """The sandbox with our filters; it compiles each part of the template once (see
    `Sandbox.from_string`): docxtpl asks Jinja to compile the whole part (document, headers,
    footers) again for every document it fills."""

    def __init__(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.filters.update(filters)


class _Entries:
    """Stands in for python-docx's zip writer: the package's files by name, in memory."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def _package_entries(package: Any) -> dict[str, bytes]:
    """The files python-docx would write for `package` (as `OpcPackage.save` does), without
    deflating them: `write_zip` deflates once, the way `normalise_zip` would have."""
    from docx.opc.pkgwriter import PackageWriter

    for part in package.parts:
        part.before_marshal()
    entries = _Entries()
    writer: Any = entries  # duck-typed: python-docx calls only its `write`
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    return entries.entries


@functools.cache
def _template_class() -> type:
    """docxtpl's template, whose XML clean-up (`patch_xml`: a dozen regular expressions over
    each part) is done once per Word template and kept in `patched`."""
    from docxtpl import DocxTemplate  # 0.1 s with python-docx: only for Word templates

    class Template(DocxTemplate):  # type: ignore[misc]
        patched: dict[str, str]

        def patch_xml(self, src_xml: str) -> str:
            if src_xml not in self.patched:
                self.patched[src_xml] = super().patch_xml(src_xml)
            return self.patched[src_xml]

    return Template


def _docx_template(source: bytes, patched: dict[str, str]) -> Any:
    template = _template_class()(io.BytesIO(source))
    template.patched = patched
    return template


#: A part of the template at least this big, which no tag fills, is left out of python-docx's
#: reading: a deliberation's styles (350 kB of XML) were parsed and written again per sitting.
_HEAVY = 16 * 1024
_PROPERTIES = "docProps/core.xml"  # filled per document


def _parsed_by_python_docx(entries: Mapping[str, bytes]) -> set[str]:
    """The parts python-docx reads as XML (and writes back from its tree): those whose
    content type it has a class for; it keeps the others' bytes as they are."""
    import docx  # noqa: F401 — registers python-docx's part classes
    from docx.opc.part import PartFactory, XmlPart

    types = etree.fromstring(entries["[Content_Types].xml"])
    by_extension = {d.get("Extension", "").lower(): d.get("ContentType") for d in types}
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType") for o in types}
    parsed = set()
    for name in entries:
        kind = overrides.get(name) or by_extension.get(name.rpartition(".")[2].lower())
        part_class = PartFactory.part_type_for.get(kind or "")
        if part_class is not None and issubclass(part_class, XmlPart):
            parsed.add(name)
    return parsed


def _light(source: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The template with its heavy untouched XML parts emptied (their root element kept), and
    those parts as python-docx writes them, to be put back into every document made."""
    entries = zip_entries(source)
    heavy = [
        name
        for name, data in entries.items()
        if len(data) >= _HEAVY and not _PARTS.match(name) and name != _PROPERTIES
    ]
    if not heavy or "[Content_Types].xml" not in entries:
        return source, {}
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's
    kept = {}
    for name in set(heavy) & _parsed_by_python_docx(entries):
        root = etree.fromstring(entries[name], parser)
        kept[name] = etree.tostring(root, encoding="UTF-8", standalone=True)
        entries[name] = etree.tostring(etree.Element(root.tag, nsmap=root.nsmap))
    return (write_zip(entries), kept) if kept else (source, {})


class WordTemplate:
    """A Word template read and compiled once, filled for each context (one per sitting).

    Each document is the same as `render_word_template` makes: values escaped for XML, French
    typography, fixed properties and zip. Check the template with `word_template_problems`
    first. Secretariats edit the template: it runs in Jinja's sandbox with only our filters."""

    def __init__(self, path: Path, filters: Mapping[str, Callable[..., Any]]) -> None:
        self.path = path
        self._source, self._kept = _light(path.read_bytes())
        self._env = _WordSandbox(filters)
        self._patched: dict[str, str] = {}

    def render(self, context: Mapping[str, Any], meta: DocumentMeta) -> bytes:
        template = _docx_template(self._source, self._patched)
        try:
            template.render(dict(context), jinja_env=self._env, autoescape=True)
        except SecurityError as error:
            raise TemplateError(unsafe(error), Location(display_path(self.path))) from error
        for part in template.docx.part.package.iter_parts():  # body, headers, footers, notes
            if _PARTS.match(str(part.partname).lstrip("/")) and hasattr(part, "element"):
                typeset_word_part(part.element)
        properties = template.docx.core_properties
        properties.title = meta.title
        properties.subject = meta.organisation
        properties.author = properties.last_modified_by = meta.author
        properties.content_status = meta.status
        properties.language = meta.lang
        properties.keywords = properties.comments = properties.category = ""
        properties.revision = 1
        properties.created = properties.modified = meta.timestamp
        properties.last_printed = meta.timestamp
        replaced = (template.pics_to_replace, template.crc_to_new_media)
        if any(replaced) or template.crc_to_new_embedded or template.zipname_to_replace:
            buffer = io.BytesIO()  # docxtpl rewrites the saved zip: let it
            template.save(buffer)
            return write_zip(zip_entries(buffer.getvalue()) | self._kept)
        return write_zip(_package_entries(template.docx.part.package) | self._kept)


def render_word_template(
    path: Path,
    context: Mapping[str, Any],
    filters: Mapping[str, Callable[..., Any]],
    meta: DocumentMeta,
) -> bytes:
    """One document filled from a Word template (several from the same: `WordTemplate`)."""
    return WordTemplate(path, filters).render(context, meta)
