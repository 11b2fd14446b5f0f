"""What every route shares: problem+json errors, body size limits, security headers.

Errors follow RFC 9457 (`application/problem+json`): `type`, `title`, `status`, and a `detail`
a person can act on; validation errors add `errors`, each with the field's path and the fix.
One handler answers every refusal a service raises (services/errors.py) with its status, and
the domain's (a journey that breaks its rules) with 422. Writes need `If-Match` with the
entity's ETag (services/preconditions.py): 428 without it, 412 with a stale one, and the 412
body carries the current representation so the client can merge.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from ..domain.errors import JourneyInvalid, OperationError
from ..domain.limits import JourneyTooLarge
from ..services import preconditions
from ..services.errors import ServiceError
from ..services.limits import Busy
from ..services.preconditions import IfMatch

PROBLEM = "application/problem+json"
MAX_BODY = 5 * 1024 * 1024  # the journey file's own limit; uploads say theirs


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
    """A problem of the request itself (its form, size or transport), not of a service's rules
    (those raise services.errors): becomes a problem+json response."""

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


def check_if_match(header: str | None, rev: int, current: Any) -> None:
    """Refuse a write without `If-Match` (428) or with a stale one (412, with `current`)."""
    preconditions.check(IfMatch.parse(header), rev, current)


def service_problem(error: ServiceError) -> tuple[dict[str, Any], dict[str, str]]:
    """(the problem body, the headers) a service's refusal is answered with."""
    extra = {k: to_jsonable_python(v) for k, v in error.extra.items()}
    return problem_body(error.status, error.title, error.detail, **extra), error.headers


def domain_problem(error: JourneyInvalid | OperationError) -> dict[str, Any]:
    """A journey that breaks the rules: every problem listed, the first few in the detail,
    each with its place and fix (an operation the domain refuses: its message)."""
    if isinstance(error, JourneyInvalid):
        problems = [str(p) for p in error.problems]
        return problem_body(422, "Invalid journey", "; ".join(problems[:5]), problems=problems)
    return problem_body(422, "Invalid journey", str(error))


def install(app: Any, max_body: int = MAX_BODY) -> None:
    """Error handlers and the body size limit on a FastAPI app."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect

    def respond(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)

    async def _problem(_: Request, error: ProblemError) -> Any:
        body = problem_body(error.status, error.title, error.detail, **error.extra)
        return respond(error.status, body, error.headers)

    async def _refused(_: Request, error: ServiceError) -> Any:
        body, headers = service_problem(error)
        return respond(error.status, body, headers)

    async def _domain(_: Request, error: JourneyInvalid | OperationError) -> Any:
        return respond(422, domain_problem(error))

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
        (ServiceError, _refused),
        (JourneyInvalid, _domain),
        (OperationError, _domain),
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
