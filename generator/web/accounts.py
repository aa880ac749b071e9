"""The accounts of `cil serve`: an administrator creates them, changes their role, territories
and commune, disables them and resets their password; every user changes their own password.

A form's problems are codes (`"username": "taken"`): the pages word them, in French. An
administrator cannot demote or disable their own account, so one administrator always remains."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.web import access
from generator.web.access import ADMIN, CONSULTANT, EDITOR, MIN_PASSWORD, READER, SECRETARIAT
from generator.web.store import Store, User
from generator.web.territories import communes, folder_of, known

if TYPE_CHECKING:
    from generator.web.app import Application, Who

#: Roles bound to one territory, and roles that need at least one.
_ONE_TERRITORY, _SOME_TERRITORIES = (EDITOR, SECRETARIAT), (CONSULTANT, READER)
#: What a page says after a change, by the `fait` of its address.
DONE = ("cree", "modifie", "mot-de-passe", "desactive", "reactive")


@dataclass(frozen=True)
class AccountForm:
    """An account as typed in the creation or edit form."""

    username: str = ""
    role: str = ""
    territories: tuple[str, ...] = ()
    commune: str = ""

    @classmethod
    def parse(cls, form: Any) -> AccountForm:
        return cls(
            username=str(form.get("username", "")).strip()[:100],
            role=str(form.get("role", "")),
            territories=tuple(sorted({str(t) for t in form.getlist("territories")})),
            commune=str(form.get("commune", "")).strip(),
        )

    @classmethod
    def of(cls, user: User) -> AccountForm:
        return cls(user.username, user.role, user.territories, user.commune)

    def stored(self) -> tuple[str, str, str]:
        """(role, territories, commune) as the store keeps them: only what the role uses."""
        territories = () if self.role == ADMIN else self.territories
        commune = self.commune if self.role == SECRETARIAT else ""
        return self.role, ",".join(territories), commune


def account_problems(
    form: AccountForm, territories: Mapping[str, set[str]], taken: bool
) -> dict[str, str]:
    """What is wrong with an account's role, territories and commune, by field.

    `territories` maps each known territory to the INSEE codes of its communes."""
    problems = {}
    if not access.USERNAME.match(form.username):
        problems["username"] = "invalid"
    elif taken:
        problems["username"] = "taken"
    if form.role not in access.ROLES:
        problems["role"] = "unknown"
    if any(t not in territories for t in form.territories):
        problems["territories"] = "unknown"
    elif form.role in _ONE_TERRITORY and len(form.territories) != 1:
        problems["territories"] = "one"
    elif form.role in _SOME_TERRITORIES and not form.territories:
        problems["territories"] = "some"
    if form.role == SECRETARIAT and "territories" not in problems:
        if not form.commune:
            problems["commune"] = "missing"
        elif form.commune not in territories[form.territories[0]]:
            problems["commune"] = "elsewhere"
    return problems


def password_problem(password: str, confirmation: str) -> str:
    """Why a new password is refused ("" when it is not)."""
    if len(password) < MIN_PASSWORD:
        return "short"
    if len(password) > 200:
        return "long"
    if password != confirmation:
        return "different"
    return ""


class AccountPages:
    """The handlers of /comptes (administrators) and /mon-compte (everyone)."""

    def __init__(self, app: Application) -> None:
        self.app = app

    @property
    def store(self) -> Store:
        return self.app.store

    def _admin(self, request: Request) -> Who:
        who, _ = self.app.need(request, None)
        if not access.manages_accounts(who.user):
            raise HTTPException(403)
        return who

    def _territories(self) -> dict[str, set[str]]:
        root = self.app.settings.territories
        found = {}
        for slug in known(root):
            folder = folder_of(root, slug)
            if folder is not None:
                found[slug] = {c.insee for c in communes(folder)}
        return found

    def _choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each territory with its communes (INSEE code, name), for the form's lists."""
        root = self.app.settings.territories
        choices = []
        for slug in known(root):
            folder = folder_of(root, slug)
            if folder is not None:
                choices.append((slug, [(c.insee, c.nom) for c in communes(folder)]))
        return choices

    def _account(self, request: Request) -> User:
        user = self.store.user(int(request.path_params["account"]))
        if user is None:
            raise HTTPException(404)
        return user

    # --- the list and the creation form ------------------------------------------------------

    async def list_page(self, request: Request) -> Response:
        who = self._admin(request)
        return self._list(request, who, AccountForm(role=EDITOR), {})

    def _list(
        self,
        request: Request,
        who: Who,
        form: AccountForm,
        problems: dict[str, str],
        status_code: int = 200,
    ) -> Response:
        choices = self._choices()
        return self.app.page(
            request,
            "accounts.html",
            who,
            status_code,
            accounts=self.store.users(),
            names=_commune_names(choices),
            choices=choices,
            form=form,
            problems=problems,
        )

    async def create(self, request: Request) -> Response:
        who = self._admin(request)
        raw = await self.app.form(request, who)
        form = AccountForm.parse(raw)
        taken = self.store.user_named(form.username) is not None
        problems = account_problems(form, self._territories(), taken)
        password = password_problem(str(raw.get("password", "")), str(raw.get("confirmation", "")))
        if password:
            problems["password"] = password
        if problems:
            return self._list(request, who, form, problems, 400)
        hashed = await run_in_threadpool(access.hash_password, str(raw.get("password")))
        role, territories, commune = form.stored()
        account = self.store.add_user(form.username, hashed, role, territories, commune)
        return RedirectResponse(f"/comptes/{account}?fait=cree", 303)

    # --- one account -------------------------------------------------------------------------

    async def account_page(self, request: Request) -> Response:
        who = self._admin(request)
        account = self._account(request)
        done = request.query_params.get("fait", "")
        return self._edit(request, who, account, AccountForm.of(account), {}, done=done)

    def _edit(
        self,
        request: Request,
        who: Who,
        account: User,
        form: AccountForm,
        problems: dict[str, str],
        status_code: int = 200,
        done: str = "",
    ) -> Response:
        return self.app.page(
            request,
            "account.html",
            who,
            status_code,
            account=account,
            choices=self._choices(),
            form=form,
            problems=problems,
            done=done if done in DONE else "",
            itself=account.id == who.user.id,
        )

    async def update(self, request: Request) -> Response:
        who = self._admin(request)
        account = self._account(request)
        form = AccountForm.parse(await self.app.form(request, who))
        form = AccountForm(account.username, form.role, form.territories, form.commune)
        problems = account_problems(form, self._territories(), taken=False)
        if account.id == who.user.id and form.role != ADMIN:
            problems["role"] = "self"
        if problems:
            return self._edit(request, who, account, form, problems, 400)
        self.store.update_user(account.id, *form.stored())
        return RedirectResponse(f"/comptes/{account.id}?fait=modifie", 303)

    async def reset_password(self, request: Request) -> Response:
        who = self._admin(request)
        account = self._account(request)
        raw = await self.app.form(request, who)
        password = str(raw.get("password", ""))
        problem = password_problem(password, str(raw.get("confirmation", "")))
        if problem:
            form = AccountForm.of(account)
            return self._edit(request, who, account, form, {"password": problem}, 400)
        hashed = await run_in_threadpool(access.hash_password, password)
        self.store.set_password_hash(account.id, hashed)
        self.store.close_sessions(account.id, keep=_session(request))
        return RedirectResponse(f"/comptes/{account.id}?fait=mot-de-passe", 303)

    async def set_state(self, request: Request) -> Response:
        who = self._admin(request)
        account = self._account(request)
        state = str((await self.app.form(request, who)).get("etat", ""))
        if state not in ("desactive", "actif"):
            raise HTTPException(400)
        if account.id == who.user.id:
            form = AccountForm.of(account)
            return self._edit(request, who, account, form, {"state": "self"}, 400)
        self.store.set_disabled(account.id, state == "desactive")
        done = "desactive" if state == "desactive" else "reactive"
        return RedirectResponse(f"/comptes/{account.id}?fait={done}", 303)

    # --- one's own password ------------------------------------------------------------------

    async def own_page(self, request: Request) -> Response:
        who, _ = self.app.need(request, None)
        done = request.query_params.get("fait", "") == "mot-de-passe"
        return self._own(request, who, {}, done=done)

    def _own(
        self,
        request: Request,
        who: Who,
        problems: dict[str, str],
        status_code: int = 200,
        done: bool = False,
    ) -> Response:
        names = _commune_names(self._choices()) if who.user.commune else {}
        return self.app.page(
            request,
            "my_account.html",
            who,
            status_code,
            problems=problems,
            done=done,
            commune=names.get(who.user.commune, who.user.commune),
        )

    async def change_own_password(self, request: Request) -> Response:
        who, _ = self.app.need(request, None)
        raw = await self.app.form(request, who)
        address = request.client.host if request.client else "?"
        problems = {}
        if access.login_refused(self.store, who.user.username, address):
            problems["current"] = "too-many"
        elif not await run_in_threadpool(
            access.verify_password, self.store, who.user, str(raw.get("current", ""))[:200]
        ):
            access.login_failed(self.store, who.user.username, address)
            problems["current"] = "wrong"
        password = str(raw.get("password", ""))
        problem = password_problem(password, str(raw.get("confirmation", "")))
        if problem:
            problems["password"] = problem
        if problems:
            return self._own(request, who, problems, 400)
        hashed = await run_in_threadpool(access.hash_password, password)
        self.store.set_password_hash(who.user.id, hashed)
        self.store.close_sessions(who.user.id, keep=_session(request))
        return RedirectResponse("/mon-compte?fait=mot-de-passe", 303)


def _commune_names(choices: list[tuple[str, list[tuple[str, str]]]]) -> dict[str, str]:
    return {insee: name for _, found in choices for insee, name in found}


def _session(request: Request) -> str:
    from generator.web.app import COOKIE

    return request.cookies.get(COOKIE, "")
