"""The web app in a real browser: Playwright for Python driving Debian's Chromium (headless;
nothing is downloaded) against a real `journeymap serve` on a temporary database, with the app
`make frontend` built. These run after the Python suite (`make e2e`, inside `make test`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live_server import Live, printed_setup_code, running

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
BUILD = ROOT / "src" / "journeymap" / "_static"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADMIN = "ada@example.com"
PASSWORD = "a long enough password"
# Names and words that must never reach a share link's page.
MEMBER_NAME = "Zebedee Quux"
COMMENT = "Internal only: the fee was Priya's call"
TEMPLATES = ("online-store-checkout", "car-purchase", "tax-filing")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not (BUILD / "index.html").is_file() or not (FRONTEND / "node_modules").is_dir():
        missing = pytest.mark.usefixtures("_app_is_built")
        here = Path(__file__).parent
        for item in items:
            if here in Path(item.path).parents:
                item.add_marker(missing)


@pytest.fixture(scope="session")
def _app_is_built() -> None:
    pytest.fail(
        "the web app is not built: run `make frontend` (npm ci, checks and the Vite build) "
        "before the browser tests, or run them all with `make e2e`"
    )


@dataclass
class Server:
    live: Live
    token: str  # the admin's API token, to set things up beside the browser
    workspace: str
    journeys: dict[str, str]  # template -> journey id

    @property
    def url(self) -> str:
        return self.live.url

    def api(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60
        )

    def document(self, journey: str) -> dict[str, Any]:
        with self.api() as c:
            return dict(c.get(f"/api/journeys/{journey}").json()["document"])

    @functools.cached_property
    def editing(self) -> str:
        """A second workspace for the journeys the editing tests make, so that the first one's
        library stays as the library tests expect it, whatever ran before them."""
        with self.api() as c:
            # Named to sort after the first one: the app opens the first by name.
            made = c.post("/api/workspaces", json={"name": "Zz editing tests"})
            assert made.status_code == 201, made.text
            return str(made.json()["id"])

    def new_journey(self, template: str = "online-store-checkout") -> str:
        """A fresh journey from a template in the editing workspace, for a test that edits it."""
        with self.api() as c:
            made = c.post(f"/api/workspaces/{self.editing}/journeys", json={"template": template})
            assert made.status_code == 201, made.text
            return str(made.json()["id"])


@pytest.fixture(scope="session")
def member(server: Server) -> Callable[[str], str]:
    """Another account with a role in the editing workspace (one per role, made once): its
    email."""
    made: dict[str, str] = {}

    def with_role(role: str) -> str:
        if role in made:
            return made[role]
        email = f"{role}.member@example.com"
        with server.api() as c:
            user = c.post(
                "/api/users",
                json={"email": email, "display_name": f"A {role}", "password": PASSWORD},
            )
            assert user.status_code == 201, user.text
            invited = c.post(
                f"/api/workspaces/{server.editing}/invitations", json={"email": email, "role": role}
            )
            assert invited.status_code == 201, invited.text
        with httpx.Client(base_url=server.url, timeout=60) as c:
            session = c.post("/api/session", json={"email": email, "password": PASSWORD}).json()
            accepted = c.post(
                f"/api/invitations/{invited.json()['id']}/accept",
                headers={"X-CSRF-Token": session["csrf_token"]},
            )
            assert accepted.status_code == 200, accepted.text
        made[role] = email
        return email

    return with_role


@pytest.fixture
def viewer(member: Callable[[str], str]) -> str:
    """A viewer of the editing workspace: its email."""
    return member("viewer")


def set_up_admin(live: Live) -> tuple[str, str]:
    """The first admin (named MEMBER_NAME), with the set-up code the server printed, and an
    API token: (token, workspace id)."""
    with httpx.Client(base_url=live.url, timeout=60) as c:
        made = c.post(
            "/api/setup",
            json={
                "email": ADMIN,
                "display_name": MEMBER_NAME,
                "password": PASSWORD,
                "setup_code": printed_setup_code(live),
            },
        )
        assert made.status_code == 201, made.text
        session = c.post("/api/session", json={"email": ADMIN, "password": PASSWORD}).json()
        csrf = {"X-CSRF-Token": session["csrf_token"]}
        token = c.post("/api/tokens", json={"name": "e2e"}, headers=csrf).json()["token"]
        c.delete("/api/session", headers=csrf)
        workspace = c.get("/api/workspaces", headers={"Authorization": f"Bearer {token}"})
        return token, workspace.json()[0]["id"]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module's tests: an admin, three journeys, and a comment on the
    online-store journey (which a share link must never show)."""
    folder = tmp_path_factory.mktemp("e2e")
    (folder / "sources").mkdir()  # the data sources' folder (test_sources.py)
    with running(str(folder / "e2e.db"), folder / "data", folder / "sources") as live:
        token, workspace = set_up_admin(live)
        journeys = {}
        with httpx.Client(
            base_url=live.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as c:
            for template in TEMPLATES:
                made = c.post(f"/api/workspaces/{workspace}/journeys", json={"template": template})
                assert made.status_code == 201, made.text
                journeys[template] = made.json()["id"]
            store = journeys["online-store-checkout"]
            stage = c.get(f"/api/journeys/{store}/stages").json()["items"][0]["id"]
            said = c.post(
                f"/api/journeys/{store}/comments",
                json={"text": COMMENT, "target_kind": "stage", "target_id": stage},
            )
            assert said.status_code == 201, said.text
        yield Server(live, token, workspace, journeys)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


def sign_in(page: Any, url: str, email: str = ADMIN, password: str = PASSWORD) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/w/*")
    page.locator(".journey-row").first.wait_for()


AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"


def open_editor(page: Any, url: str, journey: str) -> None:
    """Signed in as the admin, the journey open in the editor with everything saved."""
    from playwright.sync_api import expect

    sign_in(page, url)
    page.goto(f"{url}/j/{journey}")
    page.locator(".card").first.wait_for()
    expect(page.locator(".save-status")).to_have_text("Saved")


def saved(page: Any) -> None:
    """Wait until every edit made has come back with its revision."""
    from playwright.sync_api import expect

    expect(page.locator(".save-status")).to_have_text("Saved", timeout=30_000)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now. axe is a dev
    dependency, evaluated through the DevTools protocol (the page's own policy would rightly
    refuse it as an inline script); it is never part of the app."""
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]
