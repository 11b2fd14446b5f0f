"""PNG, PDF and HTML posters made by the real Chromium: sizes, pages, glyphs, no network."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey
from journeymap.domain.operations import SetOp
from journeymap.render.export import RenderError, chromium_path, render, render_file
from journeymap.render.layout import layout

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium (make test installs it)"
)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_has_the_posters_size_times_the_scale(small: Journey) -> None:
    poster = layout(small)
    for scale in (1.0, 2.0):
        width, height = png_size(render(small, "png", scale))
        assert (width, height) == (round(poster.width * scale), round(poster.height * scale))


def test_pdf_is_one_page_the_size_of_the_poster_with_real_text(small: Journey) -> None:
    data = render(small, "pdf")
    assert data.startswith(b"%PDF-")
    poster = layout(small)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == 1  # one page
    width, height = (float(v) for v in boxes[0])
    assert width == pytest.approx(poster.width * 0.75, abs=1)  # CSS px to PDF points
    assert height == pytest.approx(poster.height * 0.75, abs=1)
    assert b"/FontFile2" in data or b"/FontFile" in data  # text, with its font embedded


def _text_crop(journey: Journey, text: str) -> Image.Image:
    """The PNG of the card `sees-ad` showing `text`, cropped to the card."""
    changed = apply_all(journey, [SetOp(entity="card", id="sees-ad", field="text", value=text)])
    poster = layout(changed)
    card = next(c for c in poster.cards if c.card.id == "sees-ad")
    image = Image.open(io.BytesIO(render(changed, "png", 2.0))).convert("RGB")
    b = card.box
    return image.crop((int(b.x * 2), int(b.y * 2), int(b.right * 2), int(b.bottom * 2)))


def test_cjk_and_emoji_are_drawn_as_real_glyphs(small: Journey) -> None:
    # Two different CJK strings draw differently; missing glyphs would both be the same boxes.
    first, second = (
        _text_crop(small, "顧客の声"),
        _text_crop(small, "購入手続"),
    )
    assert ImageChops.difference(first, second).getbbox() is not None
    # The check can tell: two private-use characters, which no font has, draw the same boxes.
    none_a, none_b = _text_crop(small, "\ue000\ue001"), _text_crop(small, "\ue002\ue003")
    assert ImageChops.difference(none_a, none_b).getbbox() is None
    # Colour emoji come from the emoji font: saturated pixels on a pale card.
    emoji = _text_crop(small, "🎁🚚🎉")
    colourful = sum(
        1 for r, g, b in emoji.get_flattened_data() if max(r, g, b) - min(r, g, b) > 120
    )
    assert colourful > 200


def test_html_is_one_file_that_needs_no_network(small: Journey, tmp_path: Path) -> None:
    target = render_file(small, tmp_path / "poster.html")
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<svg" in html and "</svg>" in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    assert "<script" not in html.lower()


def test_unknown_format_and_missing_chromium_are_explained(
    small: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(RenderError, match="unknown format 'gif'"):
        render(small, "gif")
    monkeypatch.setenv("JOURNEYMAP_CHROMIUM", "/nonexistent/chromium")
    assert chromium_path() == "/usr/bin/chromium"  # a wrong override falls back to Debian's
    monkeypatch.setattr("journeymap.render.export.shutil.which", lambda name: None)
    monkeypatch.setattr("journeymap.render.export._DEBIAN_CHROMIUM", "/nonexistent/debian")
    with pytest.raises(RenderError, match="apt-get install chromium"):
        render(small, "png")


def test_notebooks_show_the_poster(small: Journey) -> None:
    assert small._repr_svg_().startswith("<svg")
    assert "<svg" in small._repr_html_()
