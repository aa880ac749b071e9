"""What the web application keeps besides the territory folders: users, sessions, jobs, the
changes made through it (with the content they replaced) and pending uploads, in one SQLite file
under the data folder, created on first start."""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.messages import _, language

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    territories TEXT NOT NULL DEFAULT '',   -- comma-separated slugs
    commune TEXT NOT NULL DEFAULT '',       -- INSEE code, for a secretariat
    disabled INTEGER NOT NULL DEFAULT 0     -- 1: cannot log in; its sessions are closed
);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_attempts (
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    territory TEXT NOT NULL,
    kind TEXT NOT NULL,
    user TEXT NOT NULL,
    request TEXT NOT NULL,
    status TEXT NOT NULL,
    progress TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    files TEXT NOT NULL DEFAULT '[]',
    created REAL NOT NULL,
    finished REAL
);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY,
    territory TEXT NOT NULL,
    user TEXT NOT NULL,
    at REAL NOT NULL,
    summary TEXT NOT NULL,
    before TEXT NOT NULL,   -- {relative path: previous content (latin-1 of the bytes) or null}
    after TEXT NOT NULL,
    undone_by INTEGER
);
CREATE TABLE IF NOT EXISTS pending (
    token TEXT PRIMARY KEY,
    territory TEXT NOT NULL,
    user TEXT NOT NULL,
    created REAL NOT NULL,
    payload TEXT NOT NULL
);
"""

QUEUED, RUNNING, DONE, FAILED = "en attente", "en cours", "terminé", "échec"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    territories: tuple[str, ...]
    commune: str
    disabled: bool = False


class Store:
    """One connection per thread; every statement commits on its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self.connection() as db:
            db.executescript(SCHEMA)
            columns = {row["name"] for row in db.execute("PRAGMA table_info(users)")}
            if "disabled" not in columns:  # a data folder made before accounts could be disabled
                db.execute("ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        yield db

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        with self.connection() as db:
            return db.execute(sql, args)

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.execute(sql, *args).fetchone()
        return row

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return list(self.execute(sql, *args).fetchall())

    # --- users and sessions ------------------------------------------------------------------

    def add_user(
        self, username: str, password_hash: str, role: str, territories: str = "", commune: str = ""
    ) -> int:
        cursor = self.execute(
            "INSERT INTO users (username, password_hash, role, territories, commune) "
            "VALUES (?, ?, ?, ?, ?)",
            username,
            password_hash,
            role,
            territories,
            commune,
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _user(row: sqlite3.Row) -> User:
        slugs = tuple(s for s in row["territories"].split(",") if s)
        return User(
            row["id"], row["username"], row["role"], slugs, row["commune"], bool(row["disabled"])
        )

    def user_named(self, username: str) -> tuple[User, str] | None:
        row = self.one("SELECT * FROM users WHERE username = ?", username)
        return (self._user(row), row["password_hash"]) if row else None

    def user(self, user_id: int) -> User | None:
        row = self.one("SELECT * FROM users WHERE id = ?", user_id)
        return self._user(row) if row else None

    def users(self) -> list[User]:
        return [self._user(r) for r in self.all("SELECT * FROM users ORDER BY username")]

    def update_user(self, user_id: int, role: str, territories: str, commune: str) -> None:
        self.execute(
            "UPDATE users SET role = ?, territories = ?, commune = ? WHERE id = ?",
            role,
            territories,
            commune,
            user_id,
        )

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self.execute("UPDATE users SET disabled = ? WHERE id = ?", int(disabled), user_id)
        if disabled:
            self.close_sessions(user_id)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.execute("UPDATE users SET password_hash = ? WHERE id = ?", password_hash, user_id)

    def close_sessions(self, user_id: int, keep: str = "") -> None:
        """Log the user out everywhere (but in the session `keep`)."""
        self.execute("DELETE FROM sessions WHERE user_id = ? AND token != ?", user_id, keep)

    def open_session(self, user_id: int, lifetime: float) -> tuple[str, str]:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)", token, user_id, csrf, time.time() + lifetime
        )
        return token, csrf

    def session(self, token: str) -> tuple[User, str] | None:
        row = self.one(
            "SELECT users.*, sessions.csrf FROM sessions JOIN users ON users.id = sessions.user_id "
            "WHERE token = ? AND expires > ? AND users.disabled = 0",
            token,
            time.time(),
        )
        return (self._user(row), row["csrf"]) if row else None

    def close_session(self, token: str) -> None:
        self.execute("DELETE FROM sessions WHERE token = ?", token)

    def login_attempts(self, key: str, window: float) -> int:
        since = time.time() - window
        self.execute("DELETE FROM login_attempts WHERE at < ?", since)
        row = self.one("SELECT COUNT(*) AS n FROM login_attempts WHERE key = ?", key)
        return int(row["n"]) if row else 0

    def failed_login(self, key: str) -> None:
        self.execute("INSERT INTO login_attempts VALUES (?, ?)", key, time.time())

    # --- jobs --------------------------------------------------------------------------------

    def add_job(self, territory: str, kind: str, user: str, request: dict[str, Any]) -> int:
        cursor = self.execute(
            "INSERT INTO jobs (territory, kind, user, request, status, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            territory,
            kind,
            user,
            json.dumps(request),
            QUEUED,
            time.time(),
        )
        return int(cursor.lastrowid or 0)

    def update_job(self, job_id: int, **values: Any) -> None:
        if "files" in values:
            values["files"] = json.dumps(values["files"])
        if values.get("status") in (DONE, FAILED):
            values["finished"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.execute(f"UPDATE jobs SET {assignments} WHERE id = ?", *values.values(), job_id)

    def job(self, job_id: int) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM jobs WHERE id = ?", job_id)
        return _job(row) if row else None

    def jobs(self, territory: str, limit: int = 10) -> list[dict[str, Any]]:
        rows = self.all(
            "SELECT * FROM jobs WHERE territory = ? ORDER BY id DESC LIMIT ?", territory, limit
        )
        return [_job(r) for r in rows]

    def last_build(self, territory: str) -> dict[str, Any] | None:
        row = self.one(
            "SELECT * FROM jobs WHERE territory = ? AND kind = 'build' AND status = ? "
            "ORDER BY id DESC LIMIT 1",
            territory,
            DONE,
        )
        return _job(row) if row else None

    def fail_interrupted(self) -> int:
        """Jobs a restart interrupted: failed (the build's transaction kept the outputs)."""
        with language("fr"):  # said on the pages, which are French
            interrupted = _("interrupted by a server restart; the previous files are intact")
        cursor = self.execute(
            "UPDATE jobs SET status = ?, detail = ?, finished = ? WHERE status IN (?, ?)",
            FAILED,
            interrupted,
            time.time(),
            QUEUED,
            RUNNING,
        )
        return cursor.rowcount

    # --- changes and pending uploads ---------------------------------------------------------

    def record_change(
        self,
        territory: str,
        user: str,
        summary: str,
        before: dict[str, bytes | None],
        after: dict[str, bytes | None],
    ) -> int:
        cursor = self.execute(
            "INSERT INTO changes (territory, user, at, summary, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            territory,
            user,
            time.time(),
            summary,
            _files_json(before),
            _files_json(after),
        )
        return int(cursor.lastrowid or 0)

    def changes(self, territory: str) -> list[dict[str, Any]]:
        rows = self.all("SELECT * FROM changes WHERE territory = ? ORDER BY id DESC", territory)
        return [_change(r) for r in rows]

    def change(self, change_id: int) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM changes WHERE id = ?", change_id)
        return _change(row) if row else None

    def mark_undone(self, change_id: int, by: int) -> None:
        self.execute("UPDATE changes SET undone_by = ? WHERE id = ?", by, change_id)

    def add_pending(self, territory: str, user: str, payload: dict[str, Any]) -> str:
        token = secrets.token_urlsafe(16)
        self.execute(
            "INSERT INTO pending VALUES (?, ?, ?, ?, ?)",
            token,
            territory,
            user,
            time.time(),
            json.dumps(payload),
        )
        return token

    def pending(self, token: str, territory: str, user: str) -> dict[str, Any] | None:
        row = self.one(
            "SELECT payload FROM pending WHERE token = ? AND territory = ? AND user = ?",
            token,
            territory,
            user,
        )
        return json.loads(row["payload"]) if row else None

    def drop_pending(self, token: str) -> None:
        self.execute("DELETE FROM pending WHERE token = ?", token)


def _files_json(files: dict[str, bytes | None]) -> str:
    return json.dumps(
        {k: (v.decode("latin-1") if v is not None else None) for k, v in files.items()}
    )


def files_of(text: str) -> dict[str, bytes | None]:
    return {
        k: (v.encode("latin-1") if v is not None else None) for k, v in json.loads(text).items()
    }


def _job(row: sqlite3.Row) -> dict[str, Any]:
    job = dict(row)
    job["request"] = json.loads(job["request"])
    job["files"] = json.loads(job["files"])
    return job


def _change(row: sqlite3.Row) -> dict[str, Any]:
    change = dict(row)
    change["before"] = files_of(change["before"])
    change["after"] = files_of(change["after"])
    return change
