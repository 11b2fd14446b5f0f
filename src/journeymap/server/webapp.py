"""The web app at `/`: the single-page app Vite builds into `journeymap/_static/`.

Paths outside `/api` that no route answers get the app's `index.html` (the app routes them in
the browser); `/api` keeps its problem+json 404s. The app's page carries its own policy: scripts,
styles, images and requests from this server only, nothing inline, nothing from elsewhere, so
it works on a closed network. Without a build (a source checkout before `make frontend`), `/`
answers a short page saying how to build it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

STATIC_DIR = Path(__file__).resolve().parent.parent / "_static"
ASSETS = "/assets"
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
MISSING_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
MISSING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>journeymap: the web app is not built</title>
<style>body{font:16px/1.5 sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#1f2933}
code,pre{background:#f5f7fa;padding:.1em .3em}</style></head>
<body><h1>The web app is not built</h1>
<p>This server answers its API under <a href="/api/docs">/api</a>, but the browser app has not
been built into this installation. In a source checkout, build it (Node 20 and npm):</p>
<pre>make frontend</pre>
<p>or by hand: <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>. Then reload
this page. An installed wheel of journeymap has the app inside it.</p>
</body></html>
"""


def install_webapp(app: FastAPI, folder: Path | None = None) -> None:
    """Serve the built app from `folder` (default: the package's `_static`), with the SPA
    fallback in the 404 handler, so that no catch-all route shadows the API's 404s and 405s."""
    root = folder or STATIC_DIR
    index = root / "index.html"
    if (root / "assets").is_dir():
        app.mount(ASSETS, _Immutable(directory=root / "assets"), name="app-assets")
    problem: Any = app.exception_handlers[HTTPException]  # http.install's: problem+json

    def page(request: Request) -> Any:
        if not index.is_file():
            return HTMLResponse(
                MISSING_PAGE, status_code=503, headers={"Content-Security-Policy": MISSING_CSP}
            )
        public = _public_file(root, request.url.path)
        if public is not None:
            return FileResponse(public, headers={"Cache-Control": "public, max-age=3600"})
        return FileResponse(
            index,
            media_type="text/html",
            headers={"Content-Security-Policy": APP_CSP, "Cache-Control": "no-cache"},
        )

    async def app_or_problem(request: Request, error: Exception) -> Any:
        if isinstance(error, HTTPException) and error.status_code == 404 and _is_page(request):
            return page(request)
        return await problem(request, error)

    app.add_exception_handler(HTTPException, app_or_problem)


def _is_page(request: Request) -> bool:
    """A browser asking for a page: GET or HEAD of a path outside /api (and not a missing
    asset, which must not come back as a page)."""
    path: str = request.url.path
    served = any(path == p or path.startswith(p + "/") for p in ("/api", ASSETS))
    return request.method in ("GET", "HEAD") and not served


def _public_file(root: Path, path: str) -> Path | None:
    """A top-level file of the build (favicon.svg, robots.txt): never a folder, never outside."""
    name = path.lstrip("/")
    if not name or "/" in name or name.startswith(".") or name == "index.html":
        return None
    candidate = root / name
    return candidate if candidate.is_file() else None


class _Immutable(StaticFiles):
    """Vite's assets carry a hash of their content in their names: cache them for good."""

    async def get_response(self, path: str, scope: Any) -> Any:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
