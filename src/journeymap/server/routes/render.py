"""The journey as a poster: /api/journeys/{id}/render.svg, .html, .png and .pdf (viewers and
the journey's share links), drawn by `journeymap.render` as `journeymap render` draws it, with
the journey's stored evidence when it has some.

User text is escaped by the SVG writer; SVG and HTML also go out with a Content-Security-Policy
that allows no scripts and no fetching, and `nosniff`. PNG and PDF start headless Chromium and
take a second or two, a few at a time, each within the server's time and pixel limits; a poster
is kept per revision, evidence, format and scale, and the ETag lets a client skip even that.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from ..access import Caller, identify, journey_role
from ..http import ProblemError, time_rev
from .journeys import service_errors

router = APIRouter(prefix="/api", tags=["render"])
Who = Annotated[Caller, Depends(identify)]
MEDIA = {
    "svg": "image/svg+xml",
    "html": "text/html; charset=utf-8",
    "png": "image/png",
    "pdf": "application/pdf",
}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def _poster(
    fmt: str,
    journey_id: str,
    caller: Caller,
    request: Request,
    scale: float,
    evidence: bool,
    download: bool,
) -> Response:
    from ...render.export import PosterTooLarge, RenderError, RenderTimeout
    from ...services.journeys import get_journey
    from ...services.posters import draw_poster

    journey_role(request, caller, journey_id, "viewer")
    db = request.app.state.db
    with service_errors():
        snap = get_journey(db, journey_id)
    found, stamp = _evidence(db, journey_id) if evidence else (None, "")
    tag = f'"r{snap.rev}{stamp}-{fmt}"'
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    state = request.app.state
    try:
        key = (journey_id, snap.rev, stamp)
        data = draw_poster(snap.journey, key, fmt, scale, found, state.gates, state.posters)
    except PosterTooLarge as error:
        raise ProblemError(422, "Poster too large", str(error)) from None
    except RenderTimeout as error:
        raise ProblemError(
            503, "Took too long", str(error), headers={"Retry-After": "60"}
        ) from None
    except RenderError as error:
        raise ProblemError(503, "Cannot draw it here", str(error)) from None
    how = "attachment" if download else "inline"
    headers["Content-Disposition"] = f'{how}; filename="{snap.journey.id}.{fmt}"'
    if fmt in ("svg", "html"):
        headers |= {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=MEDIA[fmt], headers=headers)


def _evidence(db: Any, journey_id: str) -> tuple[Any, str]:
    """(the stored evidence, a stamp of its time for the ETag), or (None, "")."""
    from pydantic import ValidationError

    from ...analytics.evidence import EvidenceSet

    with db.read() as uow:
        row = uow.evidence.get(journey_id)
        if row is None:
            return None, ""
        data, when = row.data, row.updated_at
    try:
        return EvidenceSet.model_validate(data), f"-e{time_rev(when)}"
    except ValidationError:  # evidence of an older format: draw the map without it
        return None, ""


def _register(fmt: str) -> None:
    def poster(
        journey_id: str,
        caller: Who,
        request: Request,
        scale: Annotated[
            float, Query(ge=0.1, le=8, description="PNG pixels per poster pixel")
        ] = 1.0,
        evidence: Annotated[
            bool, Query(description="draw the journey's measured figures, when it has some")
        ] = True,
        download: Annotated[bool, Query(description="as an attachment, to save")] = False,
    ) -> Response:
        return _poster(fmt, journey_id, caller, request, scale, evidence, download)

    router.add_api_route(
        f"/journeys/{{journey_id}}/render.{fmt}",
        poster,
        methods=["GET"],
        response_class=Response,
        name=f"render_{fmt}",
        summary=f"The journey as a {fmt.upper()} poster (viewers, share links)",
        responses={200: {"content": {MEDIA[fmt]: {}}, "description": f"the {fmt.upper()}"}},
    )


for _fmt in MEDIA:
    _register(_fmt)
