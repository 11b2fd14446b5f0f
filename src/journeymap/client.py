"""`journeymap.Client`: the workspace server from notebooks and scripts.

    client = journeymap.Client("https://maps.example.com", token="jm_...")
    journey = client.journey(client.journeys(workspace)[0]["id"])   # a Journey: shows as a poster
    client.apply(journey_id, [{"kind": "set", "entity": "journey", "field": "title",
                               "value": "Buying a gift"}])

Journeys come back as domain `Journey` objects, validated by the same rules as files, so they
render in Jupyter. Errors from the server raise `ClientError` carrying its problem detail.
"""

from __future__ import annotations

import uuid
from typing import Any

from .domain.model import Journey


class ClientError(RuntimeError):
    """The server said no: `status` and the problem's `detail` (what to do about it)."""

    def __init__(self, status: int, title: str, detail: str, body: Any = None) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail, self.body = status, title, detail, body


class Client:
    def __init__(self, url: str, token: str, *, http: Any = None, timeout: float = 30.0) -> None:
        """`http` replaces the HTTP client (an httpx.Client, e.g. a test client)."""
        import httpx

        self.url = url.rstrip("/")
        self._http = http or httpx.Client(timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}"}

    # ------------------------------------------------------------------ plumbing
    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self._headers, **kwargs.pop("headers", {})}
        answer = self._http.request(method, self.url + path, headers=headers, **kwargs)
        if answer.status_code >= 400:
            try:
                body = answer.json()
            except ValueError:
                body = {"title": answer.reason_phrase, "detail": answer.text[:500]}
            raise ClientError(
                answer.status_code, body.get("title", ""), body.get("detail", ""), body
            )
        return answer

    # ------------------------------------------------------------------ the API
    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/api/me").json()
        return result

    def workspaces(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/api/workspaces").json()
        return result

    def journeys(self, workspace: str, q: str | None = None) -> list[dict[str, Any]]:
        """The workspace's journey library (every page), newest change first."""
        items: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"offset": len(items), "limit": 200}
            if q:
                params["q"] = q
            page = self._call("GET", f"/api/workspaces/{workspace}/journeys", params=params).json()
            items += page["items"]
            if len(items) >= page["total"] or not page["items"]:
                return items

    def journey(self, journey_id: str) -> Journey:
        """The journey now, as a domain object (it renders as a poster in Jupyter)."""
        from .domain.document import journey_from_data

        return journey_from_data(
            self._call("GET", f"/api/journeys/{journey_id}").json()["document"]
        )

    def revision(self, journey_id: str) -> int:
        return int(self._call("GET", f"/api/journeys/{journey_id}").json()["rev"])

    def create(
        self,
        workspace: str,
        template: str | None = None,
        framework: str | None = None,
        journey: Journey | None = None,
        title: str | None = None,
    ) -> str:
        """A new journey from a template, a framework, or a Journey object; its id."""
        body: dict[str, Any] = {"template": template, "framework": framework, "title": title}
        if journey is not None:
            from .files.journey_file import render_text

            body["document"] = render_text(journey, as_json=True)
        made = self._call("POST", f"/api/workspaces/{workspace}/journeys", json=body).json()
        return str(made["id"])

    def apply(
        self, journey_id: str, ops: list[dict[str, Any]], base_rev: int | None = None
    ) -> dict[str, Any]:
        """Apply edit operations as one revision (each gets an op_id, so a retry is safe)."""
        base = self.revision(journey_id) if base_rev is None else base_rev
        batch = {"base_rev": base, "ops": [{"op_id": uuid.uuid4().hex, "op": op} for op in ops]}
        result: dict[str, Any] = self._call(
            "POST", f"/api/journeys/{journey_id}/ops", json=batch
        ).json()
        return result

    def export(self, journey_id: str, format: str = "yaml") -> str:
        answer = self._call("GET", f"/api/journeys/{journey_id}/export", params={"format": format})
        return str(answer.text)
