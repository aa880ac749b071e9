"""Drive one LibreOffice process through UNO: update indexes, read the TOC, export.

Run by the system Python that has `uno` (Debian's python3-uno), not by the project's venv:
it imports nothing from the project. `libreoffice.py` starts soffice listening on a pipe,
then runs `python3 lo_worker.py JOB.json RESULT.json`, or, to connect before the job is known,
`python3 lo_worker.py --pipe NAME --connect-timeout S RESULT.json` with the JOB's "files" as
JSON on stdin; or, to serve many jobs with the same soffice (the builds of a batch worker),
`python3 lo_worker.py --serve NAME --connect-timeout S`: one JOB a line on stdin, its RESULT a
line on stdout, until stdin closes.

JOB: {"pipe": name, "connect_timeout": s,
      "files": [{"source": path, "outputs": {fmt: path}, "update_indexes": bool,
                 "toc_numbers": ["1", "1.1", ...]}]}
RESULT: {"files": [{"source", "toc": [lines], "error": str | null}]}
"""

import contextlib
import json
import sys
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

FILTERS = {
    "pdf": (
        "writer_pdf_Export",
        {"UseTaggedPDF": True, "ExportBookmarks": True, "ExportNotes": False},
    ),
    "odt": ("writer8", None),
    "docx": ("MS Word 2007 XML", None),
}


def props(**values):
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def connect(pipe, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def store(doc, fmt, path):
    name, data = FILTERS[fmt]
    args = {"FilterName": name, "Overwrite": True}
    if data:
        args["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", props(**data))
    doc.storeToURL(uno.systemPathToFileUrl(path), props(**args))


def tab_after_numbers(doc, index, numbers):
    """LibreOffice writes "1.2 Title" in the TOC where the heading has "1.2<tab>Title"; put the
    tab back so the PDF matches the TOC we wrote into the DOCX (numbers in their own column).
    `numbers` lists the expected entries' numbers ("" when unnumbered), in order."""
    text = doc.getText()
    paragraphs = []
    enum = text.createTextCursorByRange(index.getAnchor()).createEnumeration()
    while enum.hasMoreElements():
        paragraph = enum.nextElement()
        if paragraph.getString().rpartition("\t")[2].strip().isdigit():
            paragraphs.append(paragraph)
    if len(paragraphs) != len(numbers):
        return
    protected = index.IsProtected
    index.IsProtected = False
    for paragraph, number in zip(paragraphs, numbers, strict=True):
        if number and paragraph.getString().startswith(number + " "):
            cursor = text.createTextCursorByRange(paragraph.getStart())
            cursor.goRight(len(number), False)
            cursor.goRight(1, True)
            cursor.setString("\t")
    index.IsProtected = protected


def convert(desktop, job):
    url = uno.systemPathToFileUrl(job["source"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, props(Hidden=True))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        toc = []
        # Without outputs (a DOCX whose TOC only needs its page numbers), what is shown is not
        # exported: the TOC's tabs and the other fields are left as they are.
        exported = bool(job["outputs"])
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            index = indexes.getByIndex(i)
            if job["update_indexes"]:
                index.update()
            if index.supportsService("com.sun.star.text.ContentIndex") and not toc:
                if job["update_indexes"] and exported:
                    tab_after_numbers(doc, index, job["toc_numbers"])
                toc = index.getAnchor().getString().splitlines()
        if not exported:
            return {"toc": toc}
        doc.getTextFields().refresh()
        for fmt, path in job["outputs"].items():
            store(doc, fmt, path)
        return {"toc": toc}
    finally:
        doc.close(True)


def convert_all(desktop, files, written=None):
    """Each file converted, its error reported with it, the others carried on with."""
    results = []
    for item in files:
        result = {"source": item["source"], "toc": [], "error": None}
        try:
            result.update(convert(desktop, item))
        except Exception as exc:
            result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        results.append(result)
        if written:
            with open(written, "w", encoding="utf-8") as f:
                json.dump({"files": results}, f)
    return results


def serve(pipe, timeout):
    ctx = connect(pipe, timeout)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        for line in sys.stdin:
            results = convert_all(desktop, json.loads(line)["files"])
            sys.stdout.write(json.dumps({"files": results}) + "\n")
            sys.stdout.flush()
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()


def main():
    if sys.argv[1] == "--serve":
        serve(sys.argv[2], float(sys.argv[4]))
        return
    if sys.argv[1] == "--pipe":  # connect first, then wait for the files on stdin
        pipe, timeout, result_path = sys.argv[2], float(sys.argv[4]), sys.argv[5]
        ctx = connect(pipe, timeout)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        job = json.loads(sys.stdin.read() or '{"files": []}')
    else:
        job_path, result_path = sys.argv[1], sys.argv[2]
        with open(job_path, encoding="utf-8") as f:
            job = json.load(f)
        ctx = connect(job["pipe"], job["connect_timeout"])
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        convert_all(desktop, job["files"], result_path)
    finally:
        # The bridge dies with the process, which may raise; the caller waits for the exit.
        with contextlib.suppress(Exception):
            desktop.terminate()


if __name__ == "__main__":
    main()
