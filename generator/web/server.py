"""Starting the application: the data folder, the first administrator, uvicorn."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError
from generator.messages import _
from generator.resources import territories
from generator.web.access import ADMIN, MIN_PASSWORD, hash_password
from generator.web.app import Settings, create_app
from generator.web.store import Store


def add_admin(data: Path, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            _(
                "the password must have at least {min_password} characters",
                min_password=MIN_PASSWORD,
            )
        )
    store = Store(data / "cil.sqlite3")
    if store.user_named(username):
        raise UsageError(_('an account "{username}" already exists', username=username))
    store.add_user(username, hash_password(password), ADMIN)


def serve(host: str, port: int, data: Path, workers: int = 2, secure: bool = False) -> None:
    import uvicorn

    settings = Settings(territories=territories(), data=data, workers=workers)
    settings.secure_cookies = secure
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning")
