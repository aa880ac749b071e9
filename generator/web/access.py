"""Who may do what: roles, password hashes, the rate limit of logins.

admin: everything, every territory. consultant: the territories named in the account.
editor: one territory. secretariat: the sittings of one commune of one territory, and the
deliberations and bundles of that commune. reader: reads the territories named, changes nothing.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from generator.messages import N_
from generator.web.store import Store, User

ADMIN, CONSULTANT, EDITOR, SECRETARIAT, READER = (
    "admin",
    "consultant",
    "editor",
    "secretariat",
    "reader",
)
ROLES = {
    ADMIN: N_("administrator"),
    CONSULTANT: N_("consultant"),
    EDITOR: N_("editor of the EPCI"),
    SECRETARIAT: N_("town hall secretariat"),
    READER: N_("reader"),
}
#: What each role may do on a territory it is given.
READ, EDIT, BUILD, SITTING = "read", "edit", "build", "sitting"
_RIGHTS = {
    ADMIN: {READ, EDIT, BUILD, SITTING},
    CONSULTANT: {READ, EDIT, BUILD, SITTING},
    EDITOR: {READ, EDIT, BUILD, SITTING},
    SECRETARIAT: {SITTING},
    READER: {READ},
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 10
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
#: Failed logins allowed in the window, per user name and per address (an office behind one
#: address has many users).
LOGIN_WINDOW, LOGIN_LIMIT, ADDRESS_LIMIT = 300.0, 5, 30
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def authenticate(store: Store, username: str, password: str) -> User | None:
    found = store.user_named(username)
    try:
        # A missing user costs the same time as a wrong password.
        _HASHER.verify(found[1] if found else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None or found[0].disabled:
        return None
    user, stored = found
    if _HASHER.check_needs_rehash(stored):
        store.set_password_hash(user.id, hash_password(password))
    return user


def login_refused(store: Store, username: str, address: str) -> bool:
    """Whether too many logins failed lately for this user name or from this address."""
    limits = ((f"user:{username.casefold()}", LOGIN_LIMIT), (f"address:{address}", ADDRESS_LIMIT))
    return any(store.login_attempts(key, LOGIN_WINDOW) >= limit for key, limit in limits)


def login_failed(store: Store, username: str, address: str) -> None:
    store.failed_login(f"user:{username.casefold()}")
    store.failed_login(f"address:{address}")


def verify_password(store: Store, user: User, password: str) -> bool:
    """Whether `password` is the user's own (asked again before they change it)."""
    found = store.user_named(user.username)
    try:
        return found is not None and _HASHER.verify(found[1], password)
    except (VerificationError, InvalidHashError):
        return False


def manages_accounts(user: User) -> bool:
    return user.role == ADMIN


def lists_territories(user: User) -> bool:
    return user.role in (ADMIN, CONSULTANT, READER)


def allowed(user: User, right: str, territory: str, commune: str | None = None) -> bool:
    """Whether `user` has `right` on `territory` (and, for a sitting, on `commune`)."""
    if not SLUG.match(territory) or right not in _RIGHTS[user.role]:
        return False
    if user.role == ADMIN:
        return True
    if territory not in user.territories:
        return False
    if user.role == SECRETARIAT:
        return right == SITTING and commune is not None and commune == user.commune
    return True


def home(user: User) -> str:
    """The first page of a user after login."""
    if lists_territories(user) and (user.role != READER or len(user.territories) != 1):
        return "/territoires"
    if user.role == SECRETARIAT and user.territories:
        return f"/t/{user.territories[0]}/seances/{user.commune}"
    if user.territories:
        return f"/t/{user.territories[0]}"
    return "/territoires"
