"""The journey as a poster: /api/journeys/{id}/render.svg, .html, .png and .pdf (viewers and
the journey's share links), drawn by `journeymap.render` as `journeymap render` draws it, with
the journey's stored evidence when it has some.

User text is escaped by the SVG writer; SVG and HTML also go out with a Content-Security-Policy
that allows no scripts and no fetching, and `nosniff`. PNG and PDF start headless Chromium and
take a second or two; the ETag (the revision, and the evidence's time) lets a client skip that.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ...services import journey_posters as posters
from ..deps import DB, Bounds, Posters, Who

router = APIRouter(prefix="/api", tags=["render"])
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
    caller: Who,
    request: Request,
    db: DB,
    scale: float,
    evidence: bool,
    download: bool,
    drawn: tuple[Bounds, Posters],
) -> Response:
    job = posters.poster(db, caller, journey_id, fmt, with_evidence=evidence, scale=scale)
    headers = {"ETag": job.tag, "Cache-Control": "private, no-cache"}
    if job.tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    data = posters.draw(job, *drawn)
    how = "attachment" if download else "inline"
    headers["Content-Disposition"] = f'{how}; filename="{job.name}"'
    if fmt in ("svg", "html"):
        headers |= {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=MEDIA[fmt], headers=headers)


def _register(fmt: str) -> None:
    def poster(
        journey_id: str,
        caller: Who,
        request: Request,
        db: DB,
        bounds: Bounds,
        cache: Posters,
        scale: Annotated[
            float, Query(ge=0.1, le=8, description="PNG pixels per poster pixel")
        ] = 1.0,
        evidence: Annotated[
            bool, Query(description="draw the journey's measured figures, when it has some")
        ] = True,
        download: Annotated[bool, Query(description="as an attachment, to save")] = False,
    ) -> Response:
        return _poster(
            fmt, journey_id, caller, request, db, scale, evidence, download, (bounds, cache)
        )

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
