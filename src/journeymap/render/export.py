"""Poster files: SVG as written, PNG and PDF through headless Chromium, HTML self-contained.

Chromium draws the text with the system's fonts and falls back per character (Noto CJK, Noto
Color Emoji), which cairosvg cannot do. It is Debian's /usr/bin/chromium, driven by Playwright;
no browser is ever downloaded.

A render may be given a time limit: past it, Chromium's whole process group (the browser, its
renderers and GPU process) is killed, and RenderTimeout says so; and a pixel limit, checked
before Chromium starts (a PNG's memory grows with width x height x scale^2).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

from ..domain.model import Journey
from ..files.journey_file import write_atomic_bytes
from .layout import layout
from .svg import write_svg
from .svg_parts import esc

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
    # No crash reporter: its handler leaves the process group, which a timeout kills.
    "--disable-crash-reporter",
    "--disable-crashpad-for-testing",
    "--disable-breakpad",
]


class RenderError(RuntimeError):
    """A poster could not be made; the message says what to install or change."""


class RenderTimeout(RenderError):
    """Chromium took longer than the time allowed, and was killed."""


class PosterTooLarge(RenderError):
    """The poster asked for has more pixels, or a larger scale, than allowed."""


def poster_pixels(width: float, height: float, fmt: str, scale: float) -> int:
    """The pixels Chromium holds for a poster: a PDF is laid out at scale 1."""
    factor = scale if fmt == "png" else 1.0
    return round(width * factor) * round(height * factor)


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


def render(
    journey: Journey,
    fmt: str,
    scale: float = 1.0,
    evidence: object = None,
    timeout: float | None = None,
    max_pixels: int | None = None,
) -> bytes:
    """The poster as `fmt` (svg, png, pdf or html) bytes; `evidence` adds measured figures.
    PNG and PDF: at most `max_pixels` (PosterTooLarge), drawn within `timeout` seconds
    (RenderTimeout, and Chromium killed)."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    poster = layout(journey, evidence=evidence)
    if fmt in ("png", "pdf") and max_pixels is not None:
        pixels = poster_pixels(poster.width, poster.height, fmt, scale)
        if pixels > max_pixels:
            fits = (max_pixels / (poster.width * poster.height)) ** 0.5
            at = f" at scale {scale:g}" if fmt == "png" else ""
            fix = f"ask for scale {int(fits * 100) / 100:g} or less" if fits >= 0.1 else ""
            raise PosterTooLarge(
                f"the poster is {poster.width:.0f} x {poster.height:.0f} pixels, "
                f"{pixels / 1e6:.1f} million pixels{at}; a {fmt.upper()} may have "
                f"{max_pixels / 1e6:.1f} million here: {fix or 'split the journey'}, or ask "
                "for the SVG"
            )
    svg = write_svg(poster)
    if fmt == "svg":
        return svg.encode()
    if fmt == "html":
        return html_page(journey, svg).encode()
    return _chromium(svg, poster.width, poster.height, fmt, scale, timeout)


def render_file(
    journey: Journey, out: str | Path, scale: float = 1.0, evidence: object = None
) -> Path:
    """Write the poster to `out`; the format comes from its extension."""
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


def _chromium(
    svg: str, width: float, height: float, fmt: str, scale: float, timeout: float | None = None
) -> bytes:
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
    clock = _Deadline(timeout)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium_path(), args=_CHROMIUM_ARGS, timeout=clock.ms()
            )
            watchdog = clock.watch(_browser_group(browser))
            try:
                page = browser.new_page(
                    viewport={"width": w, "height": h}, device_scale_factor=scale
                )
                page.set_default_timeout(clock.ms())
                page.route("**/*", lambda route: route.abort())  # the poster needs no network
                page.set_content(page_html, wait_until="load")
                page.evaluate("document.fonts.ready")
                if fmt == "png":
                    return page.screenshot(full_page=False, type="png")
                return page.pdf(
                    width=f"{w}px", height=f"{h}px", print_background=True, page_ranges="1"
                )
            finally:
                watchdog.cancel()
                with contextlib.suppress(PlaywrightError):  # killed: nothing left to close
                    browser.close()
    except PlaywrightError as error:
        if clock.expired():
            raise clock.timed_out() from None
        raise RenderError(f"Chromium failed: {str(error).splitlines()[0]}") from None


def _browser_group(browser: Any) -> int | None:
    """The process group of Chromium's browser process (Playwright starts it as a group of
    its own, with its renderers and GPU process in it), from Chromium itself."""
    try:
        session = browser.new_browser_cdp_session()
        info = session.send("SystemInfo.getProcessInfo")
        session.detach()
        pid = next(int(p["id"]) for p in info["processInfo"] if p["type"] == "browser")
        return os.getpgid(pid)
    except Exception:  # no such process, or a Chromium that does not say: no group to kill
        return None


class _Deadline:
    """A render's time limit: milliseconds left for Playwright's own timeouts, and a
    watchdog that kills the process group when the time is up."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds
        self.killed = threading.Event()

    def ms(self) -> float:
        if self.end is None:
            return 0  # Playwright's "no timeout"
        return max(1.0, (self.end - time.monotonic()) * 1000)

    def expired(self) -> bool:
        return self.killed.is_set() or (self.end is not None and time.monotonic() >= self.end)

    def timed_out(self) -> RenderTimeout:
        return RenderTimeout(
            f"drawing the poster took longer than {self.seconds:g} s, and was stopped: "
            "ask for a smaller scale, or for the SVG"
        )

    def watch(self, group: int | None) -> threading.Timer:
        left = 0.0 if self.end is None else max(0.0, self.end - time.monotonic())
        timer = threading.Timer(left, self._kill, [group])
        timer.daemon = True
        if self.end is not None and group is not None:
            timer.start()
        return timer

    def _kill(self, group: int) -> None:
        self.killed.set()
        with contextlib.suppress(ProcessLookupError, PermissionError):  # it finished meanwhile
            os.killpg(group, signal.SIGKILL)
