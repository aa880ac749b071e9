"""The pages of `cil serve`: the same library as the command line, behind forms.

Every handler starts by finding who asks and whether the role allows it; the territory's slug
is checked before any path is made from it; every form carries the session's CSRF token."""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import io
import re
import secrets
import subprocess
import tempfile
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.errors import CilError, DataErrors, Location, Problem
from generator.messages import _, language
from generator.territory.xlsx_reader import MAX_UNPACKED_BYTES
from generator.web import access, diffs, edits, sittings
from generator.web.access import BUILD, EDIT, READ, SITTING
from generator.web.accounts import AccountPages
from generator.web.jobs import BUILD as BUILD_JOB
from generator.web.jobs import DIFF, Workers
from generator.web.jobs import SITTING as SITTING_JOB
from generator.web.store import DONE, FAILED, Store, User
from generator.web.territories import (
    commune_slug,
    communes,
    folder_of,
    gap_tables,
    known,
    status,
    years,
)

HERE = Path(__file__).parent
COOKIE, LOGIN_COOKIE = "cil_session", "cil_login"
SESSION_LIFETIME = 8 * 3600.0
MAX_UPLOAD_BYTES = 10_000_000
MAX_FORM_CELLS = 60  # values left to fill shown as a form at once
FORMATS = ("docx", "pdf", "odt", "html", "md")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


@dataclass
class Settings:
    data: Path
    territories: Path
    workers: int = 2
    secure_cookies: bool = False


@dataclass
class Who:
    user: User
    csrf: str


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["moment"] = lambda t: (
        dt.datetime.fromtimestamp(t).strftime(_("%d/%m/%Y at %H:%M")) if t else ""
    )
    with language("fr"):  # the pages are French
        environment.globals["ROLES"] = {code: _(label) for code, label in access.ROLES.items()}
    return environment


class Application:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data.mkdir(parents=True, exist_ok=True)
        self.store = Store(settings.data / "cil.sqlite3")
        self.interrupted = self.store.fail_interrupted()
        self.workers = Workers(self.store, settings.workers)
        self.out = settings.data / "build"
        self.templates = _environment()

    # --- helpers -----------------------------------------------------------------------------

    def page(
        self, request: Request, name: str, who: Who | None, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        template = self.templates.get_template(name)
        html = template.render(
            user=who.user if who else None,
            csrf=who.csrf if who else "",
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def who(self, request: Request) -> Who | None:
        token = request.cookies.get(COOKIE)
        found = self.store.session(token) if token else None
        return Who(*found) if found else None

    def need(
        self,
        request: Request,
        right: str | None,
        slug: str | None = None,
        commune: str | None = None,
    ) -> tuple[Who, Path | None]:
        who = self.who(request)
        if who is None:
            raise HTTPException(303, headers={"Location": "/connexion"})
        if slug is None:
            return who, None
        if right is None or not access.allowed(who.user, right, slug, commune):
            raise HTTPException(403)
        folder = folder_of(self.settings.territories, slug)
        if folder is None:
            raise HTTPException(404)
        return who, folder

    async def form(self, request: Request, who: Who) -> FormData:
        form = await request.form(max_part_size=MAX_UPLOAD_BYTES)
        sent = str(form.get("csrf", "")) or request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(sent, who.csrf):
            raise HTTPException(403, _("invalid form token: reload the page"))
        return form

    # --- login -------------------------------------------------------------------------------

    async def login_page(self, request: Request) -> Response:
        token = secrets.token_urlsafe(24)
        response = self.page(request, "login.html", None, login_csrf=token, message="")
        self._cookie(response, LOGIN_COOKIE, token, 600)
        return response

    async def login(self, request: Request) -> Response:
        form = await request.form()
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
            raise HTTPException(403, _("invalid form token: reload the page"))
        username = str(form.get("username", "")).strip()[:100]
        password = str(form.get("password", ""))[:200]
        address = request.client.host if request.client else "?"
        if access.login_refused(self.store, username, address):
            message = _("Too many attempts: try again in five minutes.")
            return self.page(request, "login.html", None, 429, login_csrf=expected, message=message)
        user = await run_in_threadpool(access.authenticate, self.store, username, password)
        if user is None:
            access.login_failed(self.store, username, address)
            message = _("Wrong user name or password.")
            return self.page(request, "login.html", None, 401, login_csrf=expected, message=message)
        token, _unused = self.store.open_session(user.id, SESSION_LIFETIME)
        response = RedirectResponse(access.home(user), 303)
        self._cookie(response, COOKIE, token, int(SESSION_LIFETIME))
        response.delete_cookie(LOGIN_COOKIE)
        return response

    def _cookie(self, response: Response, name: str, value: str, age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=age,
            httponly=True,
            samesite="strict",
            secure=self.settings.secure_cookies,
        )

    async def logout(self, request: Request) -> Response:
        who, _unused = self.need(request, None)
        await self.form(request, who)
        self.store.close_session(request.cookies.get(COOKIE, ""))
        response = RedirectResponse("/connexion", 303)
        response.delete_cookie(COOKIE)
        return response

    async def home(self, request: Request) -> Response:
        who = self.who(request)
        return RedirectResponse(access.home(who.user) if who else "/connexion", 303)

    # --- territories -------------------------------------------------------------------------

    def visible(self, user: User) -> list[str]:
        slugs = known(self.settings.territories)
        return [s for s in slugs if access.allowed(user, READ, s)]

    async def territories(self, request: Request) -> Response:
        who, _unused = self.need(request, None)
        if not access.lists_territories(who.user):
            raise HTTPException(403)
        rows = await self._rows(who.user)
        return self.page(request, "territories.html", who, rows=rows, message="", errors=[])

    async def _rows(self, user: User) -> list[tuple[str, Any, Any]]:
        rows = []
        for slug in self.visible(user):
            folder = folder_of(self.settings.territories, slug)
            if folder is not None:
                checked = await run_in_threadpool(status, folder)
                rows.append((slug, checked, self.store.last_build(slug)))
        return rows

    async def create_territory(self, request: Request) -> Response:
        who, _unused = self.need(request, None)
        if who.user.role not in (access.ADMIN, access.CONSULTANT):
            raise HTTPException(403)
        form = await self.form(request, who)
        slug = str(form.get("slug", "")).strip()
        siren = str(form.get("siren", "")).strip()
        if not access.SLUG.match(slug):
            return await self._territories_error(
                request, who, _("Invalid short name: lowercase letters, digits and hyphens.")
            )
        from generator.commands.scaffold import new_territory

        try:
            created = await run_in_threadpool(
                new_territory, slug, siren, None, self.settings.territories
            )
        except CilError as error:
            return await self._territories_error(request, who, str(error))
        if who.user.role == access.CONSULTANT:
            self.store.execute(
                "UPDATE users SET territories = territories || ? WHERE id = ?",
                f",{slug}",
                who.user.id,
            )
        self.store.record_change(
            slug, who.user.username, _("Territory created ({epci})", epci=created.epci.nom), {}, {}
        )
        return RedirectResponse(f"/t/{slug}", 303)

    async def _territories_error(self, request: Request, who: Who, message: str) -> Response:
        rows = await self._rows(who.user)
        return self.page(
            request, "territories.html", who, 400, rows=rows, message=message, errors=[]
        )

    async def territory(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, READ, slug)
        assert folder is not None
        checked = await run_in_threadpool(status, folder)
        return self.page(
            request,
            "territory.html",
            who,
            slug=slug,
            status=checked,
            tables=edits.data_files(folder),
            can_edit=access.allowed(who.user, EDIT, slug),
            communes=communes(folder),
            jobs=self.store.jobs(slug, 3),
            years=years(folder),
            gaps=gap_tables(folder, checked.cells[:MAX_FORM_CELLS]),
            cells_base=edits.version(folder, edits.data_files(folder)),
        )

    async def workbook(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        _unused, folder = self.need(request, READ, slug)
        from generator.commands.workbook import export_workbook

        with tempfile.TemporaryDirectory(prefix="cil-web-") as scratch:
            target = Path(scratch) / f"{slug}.xlsx"
            await run_in_threadpool(export_workbook, str(folder), None, target)
            data = target.read_bytes()
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{slug}.xlsx"'},
        )

    # --- uploads -----------------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, EDIT, slug)
        assert folder is not None
        form = await self.form(request, who)
        upload = form.get("fichier")
        table = str(form.get("table", "")).strip()
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await self._upload_refused(request, who, slug, _("Choose a file."))
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            message = _("File too large: {size} MB at most.", size=MAX_UPLOAD_BYTES // 1_000_000)
            return await self._upload_refused(request, who, slug, message)
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".xlsx", ".csv") or (suffix == ".csv" and not table):
            message = _(
                "Send the workbook (.xlsx) or, for one table, a CSV or XLSX file with the table"
                " chosen."
            )
            return await self._upload_refused(request, who, slug, message)
        if suffix == ".xlsx":
            refused = _unsafe_workbook(data)
            if refused:
                return await self._upload_refused(request, who, slug, refused)
        shown = Path(upload.filename).name[:100]
        token = self.store.add_pending(
            slug, who.user.username, {"suffix": suffix, "table": table, "shown": shown}
        )
        self._pending_path(token, suffix).write_bytes(data)
        return await self._preview(request, who, slug, folder, token)

    def _pending_path(self, token: str, suffix: str) -> Path:
        folder = self.settings.data / "pending"
        folder.mkdir(exist_ok=True)
        return folder / f"{token}{suffix}"

    async def _upload_refused(
        self, request: Request, who: Who, slug: str, message: str
    ) -> Response:
        return self.page(request, "refused.html", who, 400, slug=slug, message=message)

    async def _preview(
        self, request: Request, who: Who, slug: str, folder: Path, token: str
    ) -> Response:
        pending = self.store.pending(token, slug, who.user.username)
        if pending is None:
            raise HTTPException(404)
        path = self._pending_path(token, pending["suffix"])
        problems: list[Problem] = []
        changes: edits.Changes = {}
        try:
            if pending["table"]:
                year = status(folder).year or dt.date.today().year
                changes = await run_in_threadpool(
                    edits.plan_table, folder, pending["table"], path, year
                )
                await run_in_threadpool(edits.validate, folder, changes, year)
            else:
                changes, year = await run_in_threadpool(
                    edits.plan_workbook, folder, path, None, pending["shown"]
                )
        except DataErrors as error:
            problems = error.problems
        except CilError as error:
            problems = [Problem(Location(pending["shown"]), str(error))]
        previews = await run_in_threadpool(edits.preview, folder, changes) if not problems else []
        fixable = [
            p
            for p in problems
            if p.location.row and p.location.column and p.location.sheet and not pending["table"]
        ]
        values = await run_in_threadpool(_cell_values, path, fixable) if fixable else {}
        return self.page(
            request,
            "preview.html",
            who,
            slug=slug,
            token=token,
            shown=pending["shown"],
            problems=problems,
            fixable=fixable,
            previews=previews,
            base=edits.version(folder, list(changes)),
            empty=not changes and not problems,
            cell_value=lambda p: values.get(
                (p.location.sheet, p.location.row, p.location.column), ""
            ),
        )

    async def fix(self, request: Request) -> Response:
        slug, token = request.path_params["slug"], request.path_params["token"]
        who, folder = self.need(request, EDIT, slug)
        assert folder is not None
        form = await self.form(request, who)
        pending = self.store.pending(token, slug, who.user.username)
        if pending is None or pending["suffix"] != ".xlsx":
            raise HTTPException(404)
        fixes = []
        for name, value in form.multi_items():
            found = re.match(r"^cell:(.+)!(\d+)!(.+)$", name)
            if found and isinstance(value, str):
                fixes.append((found.group(1), int(found.group(2)), found.group(3), value.strip()))
        await run_in_threadpool(_fix_cells, self._pending_path(token, ".xlsx"), fixes)
        return await self._preview(request, who, slug, folder, token)

    async def confirm(self, request: Request) -> Response:
        slug, token = request.path_params["slug"], request.path_params["token"]
        who, folder = self.need(request, EDIT, slug)
        assert folder is not None
        form = await self.form(request, who)
        pending = self.store.pending(token, slug, who.user.username)
        if pending is None:
            raise HTTPException(404)
        path = self._pending_path(token, pending["suffix"])
        try:
            if pending["table"]:
                year = status(folder).year or dt.date.today().year
                changes = await run_in_threadpool(
                    edits.plan_table, folder, pending["table"], path, year
                )
                await run_in_threadpool(edits.validate, folder, changes, year)
            else:
                changes, _unused = await run_in_threadpool(
                    edits.plan_workbook, folder, path, None, pending["shown"]
                )
            tables = ", ".join(Path(c).stem for c in changes) or _("no table changed")
            summary = _("Import of {file}: {tables}", file=pending["shown"], tables=tables)
            edits.apply(
                self.store, folder, who.user.username, summary, changes, str(form.get("base", ""))
            )
        except edits.Conflict:
            return self.page(request, "conflict.html", who, 409, slug=slug)
        except CilError:
            return await self._preview(request, who, slug, folder, token)
        self.store.drop_pending(token)
        path.unlink(missing_ok=True)
        return RedirectResponse(f"/t/{slug}/historique", 303)

    async def fill(self, request: Request) -> Response:
        """The values left to fill, typed in the territory's form: validated, then applied."""
        slug = request.path_params["slug"]
        who, folder = self.need(request, EDIT, slug)
        assert folder is not None
        form = await self.form(request, who)
        values = []
        for name, value in form.multi_items():
            found = re.match(r"^gap:(data/[A-Za-z0-9_/.-]+)!(\d+)!([a-z0-9_]+)$", name)
            if found and isinstance(value, str) and value.strip():
                values.append((found.group(1), int(found.group(2)), found.group(3), value.strip()))
        if not values:
            return RedirectResponse(f"/t/{slug}", 303)
        try:
            changes = edits.plan_cells(folder, values)
            await run_in_threadpool(edits.validate, folder, changes, status(folder).year)
            summary = _("Values filled: {count}", count=len(values))
            base, watched = str(form.get("base", "")), edits.data_files(folder)
            edits.apply(self.store, folder, who.user.username, summary, changes, base, watched)
        except edits.Conflict:
            return self.page(request, "conflict.html", who, 409, slug=slug)
        except DataErrors as error:
            return self.page(
                request,
                "refused.html",
                who,
                400,
                slug=slug,
                message=_(
                    "Nothing was saved: {problems}",
                    problems="; ".join(
                        _("{location}: {message}", location=p.location, message=p.message)
                        for p in error.problems
                    ),
                ),
            )
        except CilError as error:
            return self.page(request, "refused.html", who, 400, slug=slug, message=str(error))
        return RedirectResponse(f"/t/{slug}#a-renseigner", 303)

    # --- history -----------------------------------------------------------------------------

    async def history(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, _unused = self.need(request, READ, slug)
        return self.page(
            request,
            "history.html",
            who,
            slug=slug,
            changes=self.store.changes(slug),
            can_edit=access.allowed(who.user, EDIT, slug),
        )

    async def undo(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, EDIT, slug)
        assert folder is not None
        await self.form(request, who)
        change = self.store.change(int(request.path_params["change"]))
        if change is None or change["territory"] != slug:
            raise HTTPException(404)
        try:
            edits.undo(self.store, folder, change, who.user.username)
        except edits.Conflict:
            return self.page(request, "conflict.html", who, 409, slug=slug)
        return RedirectResponse(f"/t/{slug}/historique", 303)

    # --- builds and files --------------------------------------------------------------------

    async def build_page(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, READ, slug)
        assert folder is not None
        from generator.documents.registry import documents

        return self.page(
            request,
            "build.html",
            who,
            slug=slug,
            documents={name: plugin.title for name, plugin in documents().items()},
            formats=FORMATS,
            years=years(folder),
            default_year=status(folder).year,
            jobs=self.store.jobs(slug),
            can_build=access.allowed(who.user, BUILD, slug),
            message="",
        )

    async def start_build(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, BUILD, slug)
        assert folder is not None
        form = await self.form(request, who)
        from generator.documents.registry import documents

        known_docs = documents()
        chosen = [d for d in form.getlist("documents") if d in known_docs]
        formats = [f for f in form.getlist("formats") if f in FORMATS]
        year_text = str(form.get("year", ""))
        year = int(year_text) if year_text.isdigit() and int(year_text) in years(folder) else None
        if not chosen or not formats or year is None:
            return self.page(
                request,
                "build.html",
                who,
                400,
                slug=slug,
                documents={name: plugin.title for name, plugin in known_docs.items()},
                formats=FORMATS,
                years=years(folder),
                default_year=status(folder).year,
                jobs=self.store.jobs(slug),
                can_build=True,
                message=_("Choose at least one document, one format and the year."),
            )
        stems = [d.rstrip("s") if d == "deliberations" else d for d in chosen]
        request_data = {"documents": chosen, "formats": formats, "year": year, "stems": stems}
        job = self.store.add_job(slug, BUILD_JOB, who.user.username, request_data)
        self.workers.submit(job, BUILD_JOB, folder, request_data, self.out)
        return RedirectResponse(f"/t/{slug}/travaux/{job}", 303)

    def _job_for(self, request: Request) -> tuple[Who, dict[str, Any]]:
        slug = request.path_params["slug"]
        who, _unused = self.need(request, None)
        job = self.store.job(int(request.path_params["job"]))
        if job is None or job["territory"] != slug:
            raise HTTPException(404)
        commune = job["request"].get("commune")
        if not access.allowed(who.user, READ, slug) and not (
            job["kind"] == SITTING_JOB and access.allowed(who.user, SITTING, slug, commune)
        ):
            raise HTTPException(403)
        return who, job

    async def job_page(self, request: Request) -> Response:
        who, job = self._job_for(request)
        fragment = request.headers.get("hx-request") == "true"
        return self.page(
            request,
            "job_fragment.html" if fragment else "job.html",
            who,
            slug=job["territory"],
            job=job,
            running=job["status"] not in (DONE, FAILED),
            pages=_pdf_pages(self._job_folder(job), job["files"]),
        )

    def _job_folder(self, job: dict[str, Any]) -> Path:
        if job["kind"] == DIFF:
            request = job["request"]
            return self.out / job["territory"] / f"diff-{request['from']}-{request['to']}"
        return self.out / job["territory"] / str(job["request"]["year"])

    async def job_file(self, request: Request) -> Response:
        _unused, job = self._job_for(request)
        name = request.path_params["name"]
        if name not in job["files"] or not _FILE_NAME.match(name):
            raise HTTPException(404)
        path = self._job_folder(job) / name
        if not path.is_file():
            raise HTTPException(404)
        inline = name.endswith((".html", ".png")) and request.query_params.get("voir") == "1"
        return FileResponse(path, filename=None if inline else name)

    async def job_zip(self, request: Request) -> Response:
        _unused, job = self._job_for(request)
        folder = self._job_folder(job)
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in job["files"]:
                if _FILE_NAME.match(name) and (folder / name).is_file():
                    archive.write(folder / name, name)
        filename = f"{job['territory']}-travail-{job['id']}.zip"
        return Response(
            stream.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    async def thumbnail(self, request: Request) -> Response:
        _unused, job = self._job_for(request)
        name, page = request.path_params["name"], int(request.path_params["page"])
        if name not in job["files"] or not name.endswith(".pdf") or not _FILE_NAME.match(name):
            raise HTTPException(404)
        source = self._job_folder(job) / name
        cache = (
            self.settings.data
            / "vignettes"
            / job["territory"]
            / f"{job['id']}-{Path(name).stem}-{page}.png"
        )
        if not cache.is_file():
            await run_in_threadpool(_render_page, source, page, cache)
        if not cache.is_file():
            raise HTTPException(404)
        return FileResponse(cache, media_type="image/png")

    # --- years -------------------------------------------------------------------------------

    async def years_page(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, READ, slug)
        assert folder is not None
        jobs = [j for j in self.store.jobs(slug, 20) if j["kind"] == DIFF]
        done = next((j for j in jobs if j["status"] == DONE), None)
        latest, report = None, ""
        if done is not None:
            latest = await run_in_threadpool(diffs.read, self._job_folder(done))
            path = self._job_folder(done) / "changements.md"
            if latest is None and path.is_file():  # compared before the page could show it
                report = path.read_text(encoding="utf-8")
        return self.page(
            request,
            "years.html",
            who,
            slug=slug,
            years=years(folder),
            jobs=jobs,
            latest=latest,
            latest_job=done,
            report=report,
            can_build=access.allowed(who.user, BUILD, slug),
        )

    async def comparison_page(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, _unused = self.need(request, READ, slug)
        job = self.store.job(int(request.path_params["job"]))
        if job is None or job["territory"] != slug or job["kind"] != DIFF:
            raise HTTPException(404)
        if job["status"] != DONE:
            return RedirectResponse(f"/t/{slug}/travaux/{job['id']}", 303)
        comparison = await run_in_threadpool(diffs.read, self._job_folder(job))
        if comparison is None:
            return RedirectResponse(f"/t/{slug}/travaux/{job['id']}", 303)
        return self.page(request, "comparison.html", who, slug=slug, job=job, c=comparison)

    async def start_diff(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        who, folder = self.need(request, BUILD, slug)
        assert folder is not None
        form = await self.form(request, who)
        valid = years(folder)
        first, second = str(form.get("from", "")), str(form.get("to", ""))
        if (
            not (first.isdigit() and second.isdigit())
            or int(first) not in valid
            or int(second) not in valid
            or int(first) >= int(second)
        ):
            raise HTTPException(400, _("choose two years, the first before the second"))
        request_data = {"from": int(first), "to": int(second), "documents": None}
        job = self.store.add_job(slug, DIFF, who.user.username, request_data)
        self.workers.submit(job, DIFF, folder, request_data, self.out)
        return RedirectResponse(f"/t/{slug}/travaux/{job}", 303)

    # --- sittings ----------------------------------------------------------------------------

    def _sitting_context(self, request: Request) -> tuple[Who, Path, Any]:
        slug, insee = request.path_params["slug"], request.path_params["insee"]
        if not access.INSEE.match(insee):
            raise HTTPException(404)
        who, folder = self.need(request, SITTING, slug, insee)
        assert folder is not None
        commune = next((c for c in communes(folder) if c.insee == insee), None)
        if commune is None:
            raise HTTPException(404)
        return who, folder, commune

    async def sitting_page(self, request: Request) -> Response:
        who, folder, commune = self._sitting_context(request)
        slug = request.path_params["slug"]
        form = await run_in_threadpool(
            sittings.form_of, folder, commune, request.query_params.get("date")
        )
        jobs = [
            j
            for j in self.store.jobs(slug, 30)
            if j["kind"] == SITTING_JOB and j["request"].get("commune") == commune.insee
        ]
        return self.page(
            request,
            "sitting.html",
            who,
            slug=slug,
            commune=commune,
            form=form,
            checks=None,
            jobs=jobs[:5],
            base=edits.version(folder, list(sittings.FILES)),
        )

    async def sitting_check(self, request: Request) -> Response:
        who, folder, commune = self._sitting_context(request)
        form = sittings.SittingForm.parse(await self.form(request, who))
        checks = await run_in_threadpool(sittings.checked, folder, commune, form)
        return self.page(request, "sitting_checks.html", who, checks=checks)

    async def sitting_save(self, request: Request) -> Response:
        who, folder, commune = self._sitting_context(request)
        slug = request.path_params["slug"]
        raw = await self.form(request, who)
        form = sittings.SittingForm.parse(raw)
        checks = await run_in_threadpool(sittings.checked, folder, commune, form)
        if checks.errors or checks.changes is None:
            return self.page(
                request,
                "sitting.html",
                who,
                400,
                slug=slug,
                commune=commune,
                form=form,
                checks=checks,
                jobs=[],
                base=str(raw.get("base", "")),
            )
        summary = _("Sitting of {commune} on {date}", commune=commune.nom, date=form.date_shown)
        try:
            edits.apply(
                self.store,
                folder,
                who.user.username,
                summary,
                checks.changes,
                str(raw.get("base", "")),
            )
        except edits.Conflict:
            return self.page(request, "conflict.html", who, 409, slug=slug)
        stem = f"deliberation-{commune_slug(commune)}-{form.day.isoformat() if form.day else ''}"
        formats = ["docx", "pdf"] if _libreoffice() else ["docx"]
        request_data = {
            "year": form.day.year if form.day else 0,
            "stem": stem,
            "formats": formats,
            "commune": commune.insee,
        }
        job = self.store.add_job(slug, SITTING_JOB, who.user.username, request_data)
        self.workers.submit(job, SITTING_JOB, folder, request_data, self.out)
        return RedirectResponse(f"/t/{slug}/travaux/{job}", 303)


def _libreoffice() -> bool:
    from generator.render import libreoffice_available

    return libreoffice_available()


def _unsafe_workbook(data: bytes) -> str:
    """Why an uploaded workbook is refused before it is read (zip bomb, external links)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            items = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("This file is not a readable Excel workbook (.xlsx).")
    if sum(i.file_size for i in items) > MAX_UNPACKED_BYTES:
        return _("This workbook unpacks to an excessive size: it is refused.")
    if any("externalLink" in i.filename for i in items):
        return _(
            "This workbook holds links to other files: remove them (Données › Modifier les"
            " liens), then send it again."
        )
    return ""


def _cell_values(path: Path, problems: list[Problem]) -> dict[tuple[Any, ...], str]:
    """What each problem's cell of the pending workbook holds, by (sheet, row, column): the
    workbook is read once for the whole form, not once per field."""
    from generator.commands.workbook import read_workbook

    try:
        sheets = read_workbook(path)[0]
    except CilError:  # a workbook that cannot be read shows its fields empty
        return {}
    values = {}
    for problem in problems:
        where = problem.location
        rows = sheets.get(where.sheet or "", [])
        header = [str(v) for v in rows[0]] if rows else []
        row = rows[where.row - 1] if where.row and 0 < where.row <= len(rows) else []
        at = header.index(where.column) if where.column in header else len(row)
        values[(where.sheet, where.row, where.column)] = str(row[at]) if at < len(row) else ""
    return values


def _fix_cells(path: Path, fixes: list[tuple[str, int, str, str]]) -> None:
    """Corrections typed in the preview, written into the pending workbook."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet_name, row, column, value in fixes:
        if sheet_name not in book.sheetnames or not 2 <= row <= 100_000:
            continue
        sheet = book[sheet_name]
        header = [c.value for c in sheet[1]]
        if column in header:
            sheet.cell(row, header.index(column) + 1, value)
    book.save(path)


def _pdf_pages(folder: Path, files: list[str]) -> dict[str, int]:
    from pypdf import PdfReader

    pages = {}
    for name in files:
        if name.endswith(".pdf") and (folder / name).is_file():
            try:
                pages[name] = min(len(PdfReader(folder / name).pages), 12)
            except Exception:  # a PDF pypdf cannot read has no thumbnails
                continue
    return pages


def _render_page(source: Path, page: int, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = target.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "30",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(prefix),
        ],
        check=False,
        capture_output=True,
        timeout=60,
    )


class _SecurityHeaders:
    """No framing, no sniffing, scripts and styles from the application only."""

    HEADERS = [
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            b"frame-ancestors 'none'",
        ),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, sending)


class _French:
    """The pages are in French: so are the messages computed for them, whatever the server's
    locale (the language is a context variable, which the worker threads inherit)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with language("fr"):
            await self.app(scope, receive, send)


def create_app(settings: Settings) -> Starlette:
    app = Application(settings)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 303:
            return RedirectResponse(exc.headers["Location"] if exc.headers else "/connexion", 303)
        titles = {
            403: _("Access denied"),
            404: _("Page not found"),
            400: _("Invalid request"),
            405: _("Method not allowed"),
        }
        who = app.who(request)
        detail = (
            exc.detail
            if exc.detail and exc.detail not in titles.values() and exc.status_code != 404
            else ""
        )
        return app.page(
            request,
            "error.html",
            who,
            exc.status_code,
            title=titles.get(exc.status_code, "Erreur"),
            detail=detail if exc.status_code != 403 or "jeton" in detail else "",
        )

    t, accounts = "/t/{slug}", AccountPages(app)
    routes = [
        Route("/", app.home),
        Route("/connexion", app.login_page, methods=["GET"]),
        Route("/connexion", app.login, methods=["POST"]),
        Route("/deconnexion", app.logout, methods=["POST"]),
        Route("/territoires", app.territories, methods=["GET"]),
        Route("/territoires", app.create_territory, methods=["POST"]),
        Route("/comptes", accounts.list_page, methods=["GET"]),
        Route("/comptes", accounts.create, methods=["POST"]),
        Route("/comptes/{account:int}", accounts.account_page, methods=["GET"]),
        Route("/comptes/{account:int}", accounts.update, methods=["POST"]),
        Route("/comptes/{account:int}/mot-de-passe", accounts.reset_password, methods=["POST"]),
        Route("/comptes/{account:int}/etat", accounts.set_state, methods=["POST"]),
        Route("/mon-compte", accounts.own_page, methods=["GET"]),
        Route("/mon-compte", accounts.change_own_password, methods=["POST"]),
        Route(t, app.territory),
        Route(t + "/classeur.xlsx", app.workbook),
        Route(t + "/import", app.upload, methods=["POST"]),
        Route(t + "/import/{token}/corriger", app.fix, methods=["POST"]),
        Route(t + "/import/{token}/confirmer", app.confirm, methods=["POST"]),
        Route(t + "/renseigner", app.fill, methods=["POST"]),
        Route(t + "/historique", app.history),
        Route(t + "/historique/{change:int}/annuler", app.undo, methods=["POST"]),
        Route(t + "/construire", app.build_page, methods=["GET"]),
        Route(t + "/construire", app.start_build, methods=["POST"]),
        Route(t + "/travaux/{job:int}", app.job_page),
        Route(t + "/travaux/{job:int}/tout.zip", app.job_zip),
        Route(t + "/travaux/{job:int}/fichiers/{name}", app.job_file),
        Route(t + "/travaux/{job:int}/vignettes/{name}/{page:int}.png", app.thumbnail),
        Route(t + "/annees", app.years_page, methods=["GET"]),
        Route(t + "/annees", app.start_diff, methods=["POST"]),
        Route(t + "/annees/{job:int}", app.comparison_page, methods=["GET"]),
        Route(t + "/seances/{insee}", app.sitting_page, methods=["GET"]),
        Route(t + "/seances/{insee}/verifier", app.sitting_check, methods=["POST"]),
        Route(t + "/seances/{insee}", app.sitting_save, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        app.workers.shutdown()

    starlette = Starlette(
        routes=routes,
        exception_handlers={HTTPException: not_allowed},
        middleware=[Middleware(_SecurityHeaders), Middleware(_French)],
        lifespan=lifespan,
    )
    starlette.state.application = app
    return starlette
