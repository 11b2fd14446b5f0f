"""Poster files: SVG as written, PNG and PDF through headless Chromium, HTML self-contained.

Chromium draws the text with the system's fonts and falls back per character (Noto CJK, Noto
Color Emoji), which cairosvg cannot do. It is Debian's /usr/bin/chromium, driven by Playwright;
no browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..domain.model import Journey
from .layout import layout
from .svg import esc, write_svg

FORMATS = ("svg", "png", "pdf", "html")
_DEBIAN_CHROMIUM = "/usr/bin/chromium"
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--font-render-hinting=none",
]


class RenderError(RuntimeError):
    """A poster could not be made; the message says what to install or change."""


def chromium_path() -> str:
    """The Chromium to drive: $JOURNEYMAP_CHROMIUM, else Debian's, else one on PATH."""
    for candidate in (
        os.environ.get("JOURNEYMAP_CHROMIUM"),
        _DEBIAN_CHROMIUM,
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise RenderError(
        "PNG and PDF need Chromium, which is not installed "
        "(run: sudo apt-get install chromium fonts-noto-core fonts-noto-cjk "
        "fonts-noto-color-emoji, "
        "or set JOURNEYMAP_CHROMIUM to a Chromium binary)"
    )


def render(journey: Journey, fmt: str, scale: float = 1.0, evidence: object = None) -> bytes:
    """The poster as `fmt` (svg, png, pdf or html) bytes; `evidence` adds measured figures."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    poster = layout(journey, evidence=evidence)
    svg = write_svg(poster)
    if fmt == "svg":
        return svg.encode()
    if fmt == "html":
        return html_page(journey, svg).encode()
    return _chromium(svg, poster.width, poster.height, fmt, scale)


def render_file(
    journey: Journey, out: str | Path, scale: float = 1.0, evidence: object = None
) -> Path:
    """Write the poster to `out`; the format comes from its extension."""
    from ..files.journey_file import write_atomic_bytes

    target = Path(out)
    fmt = target.suffix.lower().lstrip(".")
    write_atomic_bytes(target, render(journey, fmt, scale, evidence))
    return target


def html_page(journey: Journey, svg: str) -> str:
    """One HTML file holding the poster: no scripts, styles or fonts fetched from anywhere."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="journeymap">
<title>{esc(journey.title)}</title>
<style>
  body {{ margin: 0; background: #e4e7eb; font-family: 'Noto Sans', sans-serif; }}
  main {{ overflow: auto; padding: 24px; }}
  svg {{ display: block; margin: 0 auto; background: #fff; box-shadow: 0 2px 12px #0002;
         max-width: none; }}
  @media print {{ body {{ background: #fff; }} main {{ padding: 0; }} svg {{ box-shadow: none; }} }}
</style>
</head>
<body>
<main>
{svg}</main>
</body>
</html>
"""


def _chromium(svg: str, width: float, height: float, fmt: str, scale: float) -> bytes:
    if not 0.1 <= scale <= 8:
        raise RenderError(f"scale {scale} is out of range; use 0.1 to 8")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise RenderError(
            "PNG and PDF need the render extra: pip install 'journeymap[render]'"
        ) from None
    page_html = (
        "<!doctype html><html><head><meta charset='utf-8'><style>html,body{margin:0;padding:0}"
        f"svg{{display:block}}@page{{size:{width:.0f}px {height:.0f}px;margin:0}}</style></head>"
        f"<body>{svg}</body></html>"
    )
    w, h = round(width), round(height)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=_CHROMIUM_ARGS)
            try:
                page = browser.new_page(
                    viewport={"width": w, "height": h}, device_scale_factor=scale
                )
                page.route("**/*", lambda route: route.abort())  # the poster needs no network
                page.set_content(page_html, wait_until="load")
                page.evaluate("document.fonts.ready")
                if fmt == "png":
                    return page.screenshot(full_page=False, type="png")
                return page.pdf(
                    width=f"{w}px", height=f"{h}px", print_background=True, page_ranges="1"
                )
            finally:
                browser.close()
    except PlaywrightError as error:
        raise RenderError(f"Chromium failed: {str(error).splitlines()[0]}") from None
