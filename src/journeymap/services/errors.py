"""The refusals every service raises, whoever called it (REST, the live editor, the CLI).

Each kind says what went wrong in words a person can act on (`detail`) under a short `title`;
the server's one handler turns each into its problem+json answer (RFC 9457) with the status
named here, the CLI prints the detail. Anything a client needs besides the detail travels in
`extra` (e.g. the field problems of an `Invalid`, the current representation of a `Stale`) and
`headers` (e.g. `Retry-After`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from ..domain.errors import format_path


class ServiceError(Exception):
    """A refusal: nothing was written."""

    status: ClassVar[int] = 400
    default_title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.title = title or self.default_title
        self.headers = dict(headers or {})
        self.extra = extra


class NotSignedIn(ServiceError):
    """No one (or no one known) is calling, and the action needs someone."""

    status = 401
    default_title = "Not signed in"

    def __init__(self, detail: str, *, challenge: bool = True, title: str | None = None) -> None:
        headers = {"WWW-Authenticate": "Bearer"} if challenge else None
        super().__init__(detail, title=title, headers=headers)


class Forbidden(ServiceError):
    """The caller is known but may not do this; `needs` is the least role that may."""

    status = 403
    default_title = "Not allowed"

    def __init__(self, detail: str, *, needs: str | None = None, title: str | None = None) -> None:
        super().__init__(detail, title=title)
        self.needs = needs


class NotFound(ServiceError, LookupError):
    status = 404
    default_title = "Not found"


class Conflict(ServiceError):
    """The change clashes with what is there (a name in use, the last owner, ...)."""

    status = 409
    default_title = "Conflict"


class Stale(ServiceError):
    """The thing changed since the caller read it; `current` is what it is now (a view the
    server represents as it would answer a read of it), `rev` its revision when it has one."""

    status = 412
    default_title = "Changed since you read it"

    def __init__(
        self,
        detail: str,
        *,
        rev: int | None = None,
        current: Any = None,
        with_current: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        extra = {"current": current} if with_current else {}
        super().__init__(detail, headers=headers, **extra)
        self.rev = rev
        self.current = current


class TooLarge(ServiceError):
    status = 413
    default_title = "Too large"


class Invalid(ServiceError, ValueError):
    """What was sent breaks a rule; `errors` (when given) names each field and its fix."""

    status = 422
    default_title = "Invalid request"


class PreconditionRequired(ServiceError):
    """A write that must say which version it changes (If-Match) did not."""

    status = 428
    default_title = "If-Match required"


class TooManyAttempts(ServiceError):
    status = 429
    default_title = "Too many attempts"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_s)})
        self.retry_after_s = retry_after_s


class Unavailable(ServiceError):
    """This server cannot do it now (a missing browser, ...); another may."""

    status = 503
    default_title = "Unavailable"


def invalid_field(field: str, message: str, *, title: str | None = None) -> Invalid:
    """An `Invalid` about one field, as the API lists field problems."""
    return Invalid(
        f"{field}: {message}", title=title, errors=[{"field": field, "message": message}]
    )


def field_errors(problems: Sequence[Any]) -> list[dict[str, Any]]:
    """Domain `Problem`s as the API lists them: field, message and fix."""
    return [{"field": format_path(p.path), "message": p.message, "hint": p.hint} for p in problems]
