"""cil against its peers, run by hand (never by CI): Carbone and the notebook route.

    .venv/bin/python bench/peers.py [--repeat R] [--scratch DIR]

Sets up the peers in a scratch folder (default: build/peers/, kept between runs), from the
registries, at pinned versions, then runs each on the same template and data as cil, paired
with cil's own command (alternately, medians of R), and prints the ratios:

- **Carbone** (npm, `carbone@3.8.2`, one node process rendering every sitting) against
  `cil build --doc deliberations --format docx`: 13 deliberations (one sitting per commune of
  Rhône Crussol). Carbone's template is ours translated mechanically: each `{{ name.path }}`
  becomes `{d.name.path}`, filters dropped, and every `{% %}` tag removed with its condition or
  loop (so Carbone fills every branch once and no loop: less work than ours, a lower bound
  of its time). Its data is the context cil gives each sitting, as JSON.
  Then both warm: cil's whole build in a process that has built once, against Carbone's
  second rendering pass in one node process (what a batch worker or a service pays).
- **the notebook route** (papermill → nbconvert → pandoc; a scratch venv with papermill,
  nbconvert, ipykernel and matplotlib, pinned) against `cil build --doc bilan --format docx`:
  a notebook reads the same tables of Rhône Crussol, draws as many charts as cil's bilan holds
  (PNG at 200 dpi; Rhône Crussol's data gives one, the other charts lack points) with a table
  under each, is executed by papermill, exported to Markdown by nbconvert
  (code hidden), and made a DOCX by the same pandoc with cil's reference document and a TOC.
  It is lighter than the bilan: no commentary, no French number formats, no page numbers
  in the TOC.

Nothing is faked: a peer that cannot be set up (no npm, no network) is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from bench_build import CIL, CIL_ENV, TERRITORY, cpu_seconds, thirteen_sittings

from generator.builds.build import territory_folder
from generator.render.pandoc import REFERENCE_DOCX, TOC_TITLE, pandoc_path

CARBONE = "carbone@3.8.2"
NOTEBOOK_PACKAGES = (
    "papermill==2.6.0",
    "nbconvert==7.16.6",
    "ipykernel==6.29.5",
    "matplotlib==3.11.2",
)
ROOT = Path(__file__).resolve().parent.parent
_PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_VALUE = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*(?:\|[^}]*)?\}\}")

CARBONE_RUN = """
const carbone = require('carbone');
const fs = require('fs');
const path = require('path');
const [template, dataFile, outDir, warm] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
carbone.set({ templatePath: path.dirname(template) });
function renderAll(done) {
  let i = 0;
  function next() {
    if (i === items.length) return done();
    carbone.render(path.basename(template), items[i], (err, result) => {
      if (err) { console.error(err); process.exit(1); }
      fs.writeFileSync(path.join(outDir, `${i}.docx`), result);
      i += 1;
      next();
    });
  }
  next();
}
if (warm === 'warm') {  // a second pass in the same process: CPU seconds of that pass only
  renderAll(() => {
    const start = process.cpuUsage();
    renderAll(() => {
      const used = process.cpuUsage(start);
      console.log((used.user + used.system) / 1e6);
    });
  });
} else {
  renderAll(() => {});
}
"""


def side_by_side(
    ours: Callable[[], object], theirs: Callable[[], object], repeat: int
) -> dict[str, tuple[float, float]]:
    """Medians of wall time and of CPU time (user + system of the processes each runs, the
    figure the load of a shared machine inflates least) of `ours` and `theirs`, alternately."""
    times: dict[str, list[list[float]]] = {"wall": [[], []], "CPU": [[], []]}
    for _ in range(repeat):
        for side, action in enumerate((ours, theirs)):
            start = time.perf_counter()
            times["CPU"][side].append(cpu_seconds(action))
            times["wall"][side].append(time.perf_counter() - start)
    return {k: (statistics.median(a), statistics.median(b)) for k, (a, b) in times.items()}


def report(label: str, peer: str, measured: dict[str, tuple[float, float]]) -> None:
    for kind, (ours, theirs) in measured.items():
        print(
            f"{label}, {kind} time: cil {ours:.2f} s, {peer} {theirs:.2f} s "
            f"→ cil is {theirs / ours:.2f}× as fast"
        )


def step(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def setup_carbone(scratch: Path) -> Path | str:
    """The folder where Carbone is installed, or why it could not be."""
    folder = scratch / "carbone"
    installed = folder / "node_modules" / "carbone" / "package.json"
    if not installed.is_file():
        if not (shutil.which("node") and shutil.which("npm")):
            return "node or npm is not installed"
        folder.mkdir(parents=True, exist_ok=True)
        try:
            step(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), CARBONE])
        except subprocess.CalledProcessError as error:
            return f"npm install {CARBONE} failed: {error.stderr.strip()[-300:]}"
    version = json.loads(installed.read_text(encoding="utf-8"))["version"]
    if version != CARBONE.split("@")[1]:
        return f"Carbone {version} installed, {CARBONE} expected"
    (folder / "run.js").write_text(CARBONE_RUN, encoding="utf-8")
    return folder


def setup_notebook(scratch: Path) -> Path | str:
    """The scratch venv's Python with papermill, nbconvert, ipykernel, or why not."""
    venv = scratch / "notebook-venv"
    python = venv / "bin" / "python"
    stamp = venv / "installed.txt"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == "\n".join(NOTEBOOK_PACKAGES):
        return python
    try:
        step([sys.executable, "-m", "venv", "--clear", str(venv)])
        step([str(python), "-m", "pip", "install", "--quiet", *NOTEBOOK_PACKAGES])
        step([str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", "peers"])
    except subprocess.CalledProcessError as error:
        return f"pip install of {' '.join(NOTEBOOK_PACKAGES)} failed: {error.stderr[-300:]}"
    stamp.write_text("\n".join(NOTEBOOK_PACKAGES), encoding="utf-8")
    return python


def carbone_template(source: Path, target: Path) -> None:
    """Our Word template with its tags as Carbone markers (see the module's docstring)."""
    from docxtpl import DocxTemplate

    patcher = DocxTemplate(source)  # its own cleaning of tags split across Word's runs
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for item in archive.infolist():
            data = archive.read(item)
            if _PART.match(item.filename):
                xml = patcher.patch_xml(data.decode("utf-8"))
                xml = re.sub(r"\{%.*?%\}", "", xml, flags=re.S)
                xml = re.sub(r"\{\{.*?\}\}", "", _VALUE.sub(r"{d.\1}", xml), flags=re.S)
                data = xml.encode("utf-8")
            out.writestr(item, data)


def carbone_figures(work: Path, scratch: Path, repeat: int) -> None:
    folder = setup_carbone(scratch)
    if isinstance(folder, str):
        print(f"Carbone: not measured — {folder}")
        return
    from generator.documents.deliberation import TEMPLATE, contexts
    from generator.resources import TEMPLATES
    from generator.territory.load import load_territory

    territory = thirteen_sittings(work)
    built, _ = contexts(load_territory(territory, 2025), 2025)
    data = work / "sittings.json"
    data.write_text(json.dumps([c for _, c in built.values()], default=str), encoding="utf-8")
    template = work / "carbone" / "deliberation.docx"
    template.parent.mkdir()
    carbone_template(TEMPLATES / TEMPLATE, template)
    out = work / "carbone-out"
    out.mkdir()
    node = [shutil.which("node") or "node", str(folder / "run.js"), str(template), str(data)]
    ours_command = [*CIL, "build", str(territory), "--doc", "deliberations", "--format", "docx"]
    measured = side_by_side(
        lambda: step([*ours_command, "--force", "--out", str(work / "cil-out")], env=CIL_ENV),
        lambda: step([*node, str(out)], cwd=folder),
        repeat,
    )
    first = next(iter(built.values()))[1]
    with zipfile.ZipFile(out / "0.docx") as archive:
        text = re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode("utf-8"))
    filled = all(str(v) in text for v in (first["collectivite"]["entete"], first["objet"]))
    written = len(list(out.glob("*.docx")))
    print(f"Carbone wrote {written} files; the first names its council and its subject: {filled}")
    report(f"{len(built)} deliberations, DOCX, command line", "Carbone", measured)
    warm_figures(territory, work, [*node, str(out), "warm"], folder, repeat, len(built))


def warm_figures(
    territory: Path, work: Path, node: list[str], folder: Path, repeat: int, count: int
) -> None:
    """Both sides warm, in a process that has rendered them once (a batch worker, `cil
    serve`, a node service): cil's whole build (territory read and checked, template checked,
    contexts, documents) against Carbone's second rendering pass of the same data."""
    from generator.builds.build import build

    def ours() -> float:
        start = time.process_time()
        build(str(territory), ["deliberations"], ["docx"], out=work / "warm-out", force=True)
        return time.process_time() - start

    ours()
    mine, theirs = [], []
    for _ in range(repeat):
        mine.append(ours())
        theirs.append(float(step(node, cwd=folder).stdout.strip()))
    ours_median, theirs_median = statistics.median(mine), statistics.median(theirs)
    print(
        f"{count} deliberations, DOCX, warm process, CPU time: cil {ours_median:.2f} s "
        f"(the whole build), Carbone {theirs_median:.2f} s (its rendering pass) "
        f"→ cil is {theirs_median / ours_median:.2f}× as fast"
    )


NOTEBOOK_CODE = """
import csv, io
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

rows = list(csv.DictReader(io.StringIO(Path(data, "attributions_agregees.csv").read_text("utf-8"))))
columns = ["attributions", "attributions_qpv", "premier_quartile_hors_qpv", "autres_quartiles_qpv",
           "prioritaires", "dalo", "mutations", "travailleurs_essentiels"]
display(Markdown("# Bilan des attributions"))
for column in columns[:int(charts)]:
    by_year = {}
    for row in rows:
        value = row.get(column) or ""
        if value.strip():
            by_year[row["annee"]] = by_year.get(row["annee"], 0) + float(value)
    figure, axes = plt.subplots(figsize=(6.3, 3.2))
    axes.bar(list(by_year), list(by_year.values()), color="#2b6a99")
    axes.set_title(column)
    png = Path(out, f"{column}.png")
    figure.savefig(png, dpi=200)
    plt.close(figure)
    lines = [f"| {y} | {v:g} |" for y, v in by_year.items()]
    table = "| année | valeur |\\n|---|---|\\n" + "\\n".join(lines)
    display(Markdown(f"## {column}\\n\\n![{column}]({png})\\n\\n{table}\\n"))
"""


def notebook(work: Path) -> Path:
    parameters = 'data = ""\nout = ""\ncharts = 8'
    cells = [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": parameters,
         "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": NOTEBOOK_CODE, "outputs": [],
         "execution_count": None},
    ]  # fmt: skip
    book = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "peers", "display_name": "peers", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = work / "bilan.ipynb"
    path.write_text(json.dumps(book), encoding="utf-8")
    return path


def notebook_route(python: Path, book: Path, data: Path, work: Path, charts: int) -> None:
    bin_folder = python.parent
    out = work / "nb-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    executed = out / "executed.ipynb"
    environment = os.environ | {"JUPYTER_PATH": str(python.parent.parent / "share" / "jupyter")}
    run = [str(bin_folder / "papermill"), "-k", "peers", str(book), str(executed)]
    parameters = ["-p", "data", str(data), "-p", "out", str(out), "-p", "charts", str(charts)]
    step([*run, *parameters], env=environment)
    step(
        [str(bin_folder / "jupyter-nbconvert"), "--to", "markdown", "--no-input", str(executed)],
        env=environment,
    )
    step(
        [
            pandoc_path(),
            "--from=markdown-smart",
            "--to=docx",
            "--toc",
            f"--metadata=toc-title:{TOC_TITLE}",
            f"--reference-doc={REFERENCE_DOCX}",
            f"--resource-path={out}",
            f"--output={out / 'bilan.docx'}",
            str(out / "executed.md"),
        ]
    )


def notebook_figures(work: Path, scratch: Path, repeat: int) -> None:
    python = setup_notebook(scratch)
    if isinstance(python, str):
        print(f"notebook route: not measured — {python}")
        return
    data = territory_folder(TERRITORY) / "data"
    book = notebook(work)
    ours_command = [*CIL, "build", TERRITORY, "--doc", "bilan", "--format", "docx", "--force"]
    step([*ours_command, "--out", str(work / "cil-bilan")], env=CIL_ENV)
    with zipfile.ZipFile(next((work / "cil-bilan").glob("*/*/bilan.docx"))) as archive:
        charts = len([n for n in archive.namelist() if n.startswith("word/media/")])
    print(f"cil's bilan holds {charts} chart(s)")
    measured = side_by_side(
        lambda: step([*ours_command, "--out", str(work / "cil-bilan")], env=CIL_ENV),
        lambda: notebook_route(python, book, data, work, charts),
        repeat,
    )
    with zipfile.ZipFile(work / "nb-out" / "bilan.docx") as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
    print(f"the notebook route's DOCX holds {len(images)} images")
    report("bilan with charts, DOCX, command line", "papermill → nbconvert → pandoc", measured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scratch", type=Path, default=ROOT / "build" / "peers")
    parser.add_argument("--only", choices=["carbone", "notebook"])
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, medians of {args.repeat}"
    )
    figures: dict[str, Callable[[Path, Path, int], None]] = {
        "carbone": carbone_figures,
        "notebook": notebook_figures,
    }
    with tempfile.TemporaryDirectory(prefix="cil-peers-") as folder:
        for name, figure in figures.items():
            if args.only in (None, name):
                figure(Path(folder), args.scratch, args.repeat)


if __name__ == "__main__":
    main()
