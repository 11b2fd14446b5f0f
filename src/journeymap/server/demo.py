"""The demo workspace (`journeymap demo`): every template as a journey, the online-store journey's
measured evidence, and a demo login; and the self-check `journeymap demo --check` runs.

Set-up is idempotent: the workspace, its journeys and the evidence are made once (fixed ids),
and running it again only gives the demo user a new password and a new API token (the last
run's token is revoked). Both are random, made on each run and printed once, and only their
hash and digest are stored: a demo database left running on a shared machine has no
well-known login. The demo user is a plain member (owner of the demo workspace only), not a
server admin. Everything is written through the services, as any other client's change is.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analytics import evidence, privacy
from ..analytics.demo_data import generate
from ..analytics.ingest import ingest
from ..analytics.plan import MeasureOptions
from ..analytics.spec_file import load_source_spec
from ..analytics.store_measures import measure_store
from ..services.accounts import make_account, set_password
from ..services.evidence import put_evidence
from ..services.journeys import create_journey, get_journey
from ..services.persona_library import new_library_persona
from ..services.templates import new_journey, template_names
from ..services.tokens import add as add_token
from ..units import count
from .docs_page import ASSETS

if TYPE_CHECKING:
    from ..storage import Database

DEMO_WORKSPACE = "demo"
DEMO_TOKEN = "demo"
DEMO_EMAIL = "demo@example.com"
DEMO_NAME = "Demo user"
EVIDENCE_TEMPLATE = "online-store-checkout"
DEMO_EVENTS = 5_000


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    workspace: str
    journeys: dict[str, str]  # template -> journey id
    made: list[str] = field(default_factory=list)  # what this run created
    evidence: int = 0  # evidence items stored for the online-store journey
    token: str = ""  # a personal API token of the demo user, new each run


def journey_id_of(template: str) -> str:
    return f"demo-{template}"


def set_up(db: Database, with_evidence: bool = True) -> DemoLogin:
    """Make (or find) the demo workspace, user and journeys; give the user a new password and
    a new API token."""
    password = secrets.token_urlsafe(12)
    made: list[str] = []
    with db.write() as uow:
        if uow.accounts.workspace(DEMO_WORKSPACE) is None:
            uow.accounts.add_workspace("Demo workspace", workspace_id=DEMO_WORKSPACE)
            made.append("workspace")
        user = uow.accounts.user_by_email(DEMO_EMAIL)
        if user is None:
            user = make_account(uow, DEMO_EMAIL, DEMO_NAME, password)
            made.append("user")
        else:
            set_password(uow, user, password, field="password")
        uow.accounts.set_role(DEMO_WORKSPACE, user.id, "owner")
        for old in uow.access.tokens_of(user.id):
            if old.name == DEMO_TOKEN and old.revoked_at is None:
                uow.access.revoke_token(user.id, old.id)
        token = add_token(uow, user.id, DEMO_TOKEN).token
        user_id = user.id
        present = {r.id for r in uow.journeys.in_workspace(DEMO_WORKSPACE)}
    journeys = {}
    for name in template_names():
        ident = journey_id_of(name)
        journeys[name] = ident
        if ident not in present:
            journey = new_journey(template=name)
            create_journey(db, DEMO_WORKSPACE, journey, user_id, journey_id=ident)
            made.append(f"journey {name}")
        _keep_personas(db, new_journey(template=name), user_id, made)
    items = 0
    if with_evidence and EVIDENCE_TEMPLATE in journeys:
        items = _put_evidence(db, journeys[EVIDENCE_TEMPLATE], user_id, made)
    return DemoLogin(DEMO_EMAIL, password, DEMO_WORKSPACE, journeys, made, items, token)


def _keep_personas(db: Database, journey: Any, actor: str, made: list[str]) -> None:
    """The template's personas in the demo workspace's persona library, once."""
    with db.write() as uow:
        taken = {r.persona_id for r in uow.personas.of(DEMO_WORKSPACE)}
        for persona in journey.live_personas():
            if persona.id not in taken:
                value = persona.model_dump(mode="json", exclude={"order_key", "deleted"})
                ident, data = new_library_persona(value, taken)
                uow.personas.add(DEMO_WORKSPACE, ident, data, actor)
                taken.add(ident)
                made.append(f"persona {ident}")


def _put_evidence(db: Database, journey_id: str, actor: str, made: list[str]) -> int:
    """The online-store journey's evidence, measured on small seeded demo events (as
    `journeymap analyze --save` does), stored once."""
    with db.read() as uow:
        row = uow.evidence.get(journey_id)
        if row is not None:
            return len(row.data.get("items", []))
    journey = get_journey(db, journey_id).journey
    found = demo_evidence(journey)
    put_evidence(db, journey_id, found.model_dump(mode="json"), actor, None)
    made.append("evidence")
    return len(found.items)


def demo_evidence(journey: Any, events: int = DEMO_EVENTS, min_count: int = 10) -> Any:
    """An EvidenceSet for `journey` (the online-store template) from seeded demo events."""
    with tempfile.TemporaryDirectory(prefix="journeymap-demo-") as folder:
        base = Path(folder)
        source = generate(base / "events", events)
        spec = load_source_spec(source)
        result = ingest(spec, source.parent, base / "data")
        options = MeasureOptions.for_journey(journey, paths=10)
        measured = privacy.measures(
            measure_store(result.store, journey, options=options), min_count
        )
        settings = {"window_s": options.window_ms / 1000, "window_from": options.window_from}
        settings["reentry"] = options.reentry
        return evidence.build(journey, result.report, measured, settings, min_count)


# ---------------------------------------------------------------- serving in-process


@contextmanager
def serving(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Run `app` with uvicorn in a thread on a free port of `host`; yields its base URL."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


# ---------------------------------------------------------------- the check


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    ms: float


def run_checks(base_url: str, login: DemoLogin) -> list[Check]:
    """What `journeymap demo --check` asks of a running demo server."""
    import httpx

    results: list[Check] = []

    def check(name: str, call: Callable[[], tuple[bool, str]]) -> None:
        start = time.perf_counter()
        try:
            ok, detail = call()
        except Exception as error:  # a check reports, it does not stop the others
            ok, detail = False, f"{type(error).__name__}: {error}"
        results.append(Check(name, ok, detail, (time.perf_counter() - start) * 1000))

    with httpx.Client(base_url=base_url, timeout=30) as client:

        def status(path: str, want: int = 200) -> tuple[bool, str]:
            answer = client.get(path)
            return answer.status_code == want, f"{answer.status_code}"

        def openapi() -> tuple[bool, str]:
            answer = client.get("/api/openapi.json")
            spec = answer.json() if answer.status_code == 200 else {}
            paths = len(spec.get("paths", {}))
            ok = answer.status_code == 200 and str(spec.get("openapi", "")).startswith("3.1")
            return (
                ok,
                f"{answer.status_code}, OpenAPI {spec.get('openapi')}, {count(paths, 'path')}",
            )

        def sign_in() -> tuple[bool, str]:
            answer = client.post(
                "/api/session", json={"email": login.email, "password": login.password}
            )
            return answer.status_code == 200, f"{answer.status_code} as {login.email}"

        def library() -> tuple[bool, str]:
            answer = client.get(f"/api/workspaces/{login.workspace}/journeys")
            total = answer.json().get("total") if answer.status_code == 200 else None
            ok = answer.status_code == 200 and total == len(login.journeys)
            found = count(total or 0, "journey")
            return ok, f"{answer.status_code}, {found} (templates: {len(login.journeys)})"

        def journey() -> tuple[bool, str]:
            ident = login.journeys.get(EVIDENCE_TEMPLATE) or next(iter(login.journeys.values()))
            answer = client.get(f"/api/journeys/{ident}")
            cards = len(answer.json()["document"].get("cards", [])) if answer.is_success else 0
            return (
                answer.status_code == 200,
                f"{answer.status_code}, {ident}: {count(cards, 'card')}",
            )

        def personas() -> tuple[bool, str]:
            answer = client.get(f"/api/workspaces/{login.workspace}/personas")
            found = [p["id"] for p in answer.json()] if answer.status_code == 200 else []
            return answer.status_code == 200 and bool(found), f"{answer.status_code}, {found}"

        check("GET /api/health", lambda: status("/api/health"))
        check("GET /api/docs", lambda: status("/api/docs"))
        check("GET the docs page's Swagger UI", lambda: status(f"{ASSETS}/swagger-ui-bundle.js"))
        check("GET /api/openapi.json", openapi)
        check("POST /api/session (sign in)", sign_in)
        check("GET the journey library", library)
        check("GET one journey", journey)
        check("GET the persona library", personas)
    return results
