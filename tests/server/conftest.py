"""A real server app on a real database (SQLite, and PostgreSQL where the storage tests run it),
with a signed-up admin, their workspace and a token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

PASSWORD = "a long enough password"


@dataclass
class Site:
    client: TestClient
    workspace: str
    token: str  # the admin's API token

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def user(self, email: str, role: str | None) -> str:
        """A user with a token, a member of the workspace with `role` (None: not a member)."""
        app: Any = self.client.app
        from journeymap.services.security import hash_password, new_token

        made = new_token()
        with app.state.db.write() as uow:
            user = uow.accounts.add_user(email, email.split("@")[0], hash_password(PASSWORD))
            uow.access.add_token(user.id, "tests", made.prefix, made.digest)
            if role is not None:
                uow.accounts.set_role(self.workspace, user.id, role)
        return made.plaintext


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    from .helpers import open_site

    yield from open_site(str(tmp_path / "server.db"), tmp_path)
