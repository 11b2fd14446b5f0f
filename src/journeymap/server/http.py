"""What every route shares: problem+json errors, body size limits, ETags and If-Match.

Errors follow RFC 9457 (`application/problem+json`): `type`, `title`, `status`, and a `detail`
a person can act on; validation errors add `errors`, each with the field's path and the fix.
Writes need `If-Match` with the entity's ETag (its `updated_rev`): 428 without it, 412 with a
stale one, and the 412 body carries the current representation so the client can merge.
"""

from __future__ import annotations

import re
from typing import Any

PROBLEM = "application/problem+json"
MAX_BODY = 5 * 1024 * 1024  # the journey file's own limit; uploads say theirs
_ETAG = re.compile(r'"r(?:0|[1-9][0-9]{0,19})"')  # as etag() writes them


_PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "what went wrong, and what to do"},
    },
    "required": ["title", "status", "detail"],
    "additionalProperties": True,
}
# Every route may answer with a problem (RFC 9457); documented once for all of them.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "description": "The request cannot be served as sent: the detail says why and what to do",
        "content": {PROBLEM: {"schema": _PROBLEM_SCHEMA}},
    },
    "5XX": {
        "description": "The server failed; nothing was half-written",
        "content": {PROBLEM: {"schema": _PROBLEM_SCHEMA}},
    },
}


class ProblemError(Exception):
    """Raised anywhere in a request: becomes a problem+json response."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.extra = extra


def problem_body(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}


def etag(rev: int) -> str:
    return f'"r{rev}"'


def time_rev(updated_at: Any) -> int:
    """A revision for things kept without one (comments, workspaces): `updated_at` in
    microseconds, which every change moves."""
    return int(updated_at.timestamp() * 1_000_000)


def time_etag(updated_at: Any) -> str:
    return etag(time_rev(updated_at))


def check_if_match_at(header: str | None, updated_at: Any, current: Any) -> None:
    """`check_if_match` for things whose ETag is their `updated_at` (`current` a model)."""
    check_if_match(header, time_rev(updated_at), current.model_dump(mode="json"))


def check_if_match(header: str | None, rev: int, current: Any) -> None:
    """Refuse a write without `If-Match` (428) or with a stale one (412, with `current`)."""
    accepted = if_match_revs(header, rev)
    if accepted is not None and rev not in accepted:
        raise changed_since(header, rev, current)


def if_match_revs(header: str | None, rev: int) -> frozenset[int] | None:
    """The revisions an `If-Match` header names (None for `*`: any); 428 without the header,
    naming the current ETag (`rev`). For writes that compare under the journey's lock."""
    if header is None:
        raise ProblemError(
            428,
            "If-Match required",
            "send If-Match with the ETag you last read, so that no one's change is lost; "
            f"the current one is {etag(rev)}",
        )
    wanted = [t.strip().removeprefix("W/") for t in header.split(",")]
    if "*" in wanted:
        return None
    return frozenset(int(t[2:-1]) for t in wanted if _ETAG.fullmatch(t))


def changed_since(header: str | None, rev: int, current: Any) -> ProblemError:
    """412 for an `If-Match` that is not the current ETag, with the current representation."""
    return ProblemError(
        412,
        "Changed since you read it",
        f"someone changed this since {header}; it is now {etag(rev)}: merge your change into "
        "the current version below and send it again with the new ETag",
        headers={"ETag": etag(rev)},
        current=current,
    )


def install(app: Any, max_body: int = MAX_BODY) -> None:
    """Error handlers and the body size limit on a FastAPI app."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect

    from ..domain.limits import JourneyTooLarge
    from ..services.limits import Busy

    def respond(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)

    async def _problem(_: Request, error: ProblemError) -> Any:
        body = problem_body(error.status, error.title, error.detail, **error.extra)
        return respond(error.status, body, error.headers)

    async def _http(request: Request, error: HTTPException) -> Any:
        title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Error")
        detail = str(error.detail)
        if error.status_code == 404 and detail == "Not Found":
            detail = "there is nothing at this address; the API is described at /api/docs"
        headers = dict(error.headers or {})
        if error.status_code == 405:  # Allow lists every method of the address, not one route's
            allowed = _allowed_methods(request)
            headers = {k: v for k, v in headers.items() if k.lower() != "allow"}
            headers["Allow"] = ", ".join(allowed)
            detail = f"this address answers {', '.join(allowed)} only"
        return respond(error.status_code, problem_body(error.status_code, title, detail), headers)

    async def _invalid(_: Request, error: RequestValidationError) -> Any:
        errors = [
            {
                "field": ".".join(str(p) for p in _field_path(e.get("loc", ()))),
                "message": e.get("msg", ""),
            }
            for e in error.errors()
        ]
        first = errors[0] if errors else {"field": "", "message": "invalid"}
        detail = f"{first['field'] or 'the request'}: {first['message']}"
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more, listed in errors)"
        return respond(422, problem_body(422, "Invalid request", detail, errors=errors))

    async def _busy(_: Request, error: Busy) -> Any:
        body = problem_body(503, "Busy", str(error), retry_after=error.retry_after)
        return respond(503, body, {"Retry-After": str(error.retry_after)})

    async def _too_large(_: Request, error: JourneyTooLarge) -> Any:
        body = problem_body(413, "Journey too large", error.message, limit=error.what)
        return respond(413, body)

    async def _gone(_: Request, error: ClientDisconnect) -> Any:
        # The client went away mid-body (or a 413 went out already): nobody reads this
        # answer, and a client hanging up is no server fault to log with a traceback.
        return respond(400, problem_body(400, "Client gone", "the request body was cut off"))

    async def _crash(_: Request, error: Exception) -> Any:  # never a traceback to the client
        body = problem_body(
            500, "Server error", "the server failed on this request; it is logged, try again"
        )
        return respond(500, body)

    for kind, handler in (
        (ProblemError, _problem),
        (HTTPException, _http),
        (RequestValidationError, _invalid),
        (Busy, _busy),
        (JourneyTooLarge, _too_large),
        (ClientDisconnect, _gone),
        (Exception, _crash),
    ):
        app.add_exception_handler(kind, handler)
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)


def _field_path(loc: Any) -> list[Any]:
    """A validation error's place, less FastAPI's leading "body" (a field of that name stays)."""
    parts = list(loc)
    return parts[1:] if parts[:1] == ["body"] else parts


def _allowed_methods(request: Any) -> list[str]:
    """The methods some route answers at this address: each asked of every route (routers
    included) as a request with that method."""
    from starlette.routing import Match

    methods = {
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.routes
        )
    }
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


class HeadAsGet:
    """HEAD answers what GET would, headers only (FastAPI's routes know GET alone), so the
    `Allow: GET, HEAD` of a 405 is true and `curl -I` works."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Any) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class SecurityHeaders:
    """Headers every answer carries unless its route set its own: no MIME sniffing, never in a
    frame, no referrer, and for the API's JSON a policy that lets nothing run or load."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    )

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse request bodies over `max_body` bytes with 413, by Content-Length when sent and by
    counting the stream when not, before the route reads them."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await self._refuse(send)
            return
        seen, refused = 0, False

        async def counted() -> Any:
            # Past the limit: answer 413 now, and tell the route the client has gone (an
            # exception here would be turned into a 400 by the body parser).
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body and not refused:
                refused = True
                await self._refuse(send)
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Any) -> None:
            if not refused:  # the route's own answer, unless 413 went out
                await send(message)

        await self.app(scope, counted, guarded)

    async def _refuse(self, send: Any) -> None:
        import json

        body = problem_body(
            413,
            "Request too large",
            f"the body is over {self.max_body:,} bytes; send a smaller one "
            "(split an import into several journeys)",
        )
        data = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM.encode()),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})
