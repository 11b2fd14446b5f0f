"""Text width estimates for wrapping, without loading a font.

Advance widths of Noto Sans (the poster's font) for printable ASCII, in em; other characters use
conservative estimates: wide East Asian characters 1 em, emoji 1.25 em, other scripts 0.65 em. The
estimate only decides where lines break, so erring wide keeps text inside its card.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_REGULAR = (
    "0.26 0.269 0.408 0.646 0.572 0.831 0.732 0.225 0.3 0.3 0.551 0.572 0.268 0.322 0.268 0.372 "
    "0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.268 0.268 0.572 0.572 0.572 "
    "0.434 0.899 0.639 0.65 0.632 0.73 0.556 0.519 0.728 0.741 0.339 0.273 0.619 0.524 0.907 0.76 "
    "0.781 0.605 0.781 0.622 0.549 0.556 0.731 0.6 0.93 0.586 0.566 0.572 0.329 0.372 0.329 0.572 "
    "0.444 0.281 0.561 0.615 0.48 0.615 0.564 0.344 0.615 0.618 0.258 0.258 0.534 0.258 0.935 "
    "0.618 0.605 0.615 0.615 0.413 0.479 0.361 0.618 0.508 0.786 0.529 0.51 0.47 0.38 0.551 0.38 "
    "0.572"
)
_BOLD = (
    "0.26 0.286 0.472 0.646 0.572 0.901 0.75 0.266 0.339 0.339 0.545 0.572 0.285 0.322 0.285 0.413 "
    "0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.572 0.285 0.285 0.572 0.572 0.572 "
    "0.477 0.897 0.69 0.672 0.637 0.74 0.56 0.549 0.724 0.765 0.389 0.331 0.664 0.565 0.943 0.813 "
    "0.796 0.628 0.796 0.66 0.551 0.579 0.756 0.65 0.967 0.667 0.624 0.579 0.331 0.413 0.331 0.572 "
    "0.411 0.362 0.604 0.633 0.514 0.633 0.591 0.387 0.633 0.657 0.305 0.305 0.62 0.305 0.982 "
    "0.657 0.619 0.633 0.633 0.454 0.497 0.434 0.657 0.569 0.856 0.578 0.569 0.488 0.394 0.551 "
    "0.394 0.572"
)
_ASCII = {False: [float(w) for w in _REGULAR.split()], True: [float(w) for w in _BOLD.split()]}


@lru_cache(maxsize=4096)
def char_em(char: str, bold: bool = False) -> float:
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII[bold][code - 32]
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if code >= 0x1F000 or 0x2600 <= code < 0x2800:
        return 1.25  # emoji and symbols drawn from the colour emoji font
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return 0.65


def text_width(text: str, size: float, bold: bool = False) -> float:
    if text.isascii():
        return sum(char_em(c, bold) for c in text) * size
    return sum(char_em(c[0], bold) for c in clusters(text)) * size  # a cluster is one glyph


def _breakable(cluster: str) -> bool:
    """Wide characters (CJK, emoji) may break anywhere: those scripts use no spaces."""
    return char_em(cluster[0]) >= 1.0


_JOINERS = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}


def clusters(text: str) -> list[str]:
    """Text split into the characters a reader sees: an emoji with its modifiers, joiners and
    variation selectors, a flag's two letters, a letter with its accents stay together."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        joined = bool(out) and (
            char in _JOINERS
            or out[-1].endswith("\u200d")
            or unicodedata.combining(char) > 0
            or 0x1F3FB <= code <= 0x1F3FF  # skin tones
            or 0xE0020 <= code <= 0xE007F  # tag sequences (subdivision flags)
            or (_regional(char) and len(out[-1]) == 1 and _regional(out[-1]))
        )
        if joined:
            out[-1] += char
        else:
            out.append(char)
    return out


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def clip(text: str, width: float, size: float, bold: bool = False) -> str:
    """One line of `text` that fits in `width`, ending in … when it had to be cut (measured as
    it goes: linear in the text's length)."""
    if text_width(text, size, bold) <= width:
        return text
    ellipsis = char_em("…", bold)
    kept: list[str] = []
    total = 0.0
    for cluster in clusters(text):
        em = char_em(cluster[0], bold)
        if (total + em + ellipsis) * size > width:
            break
        total += em
        kept.append(cluster)
    return "".join(kept).rstrip() + "…"


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit in `width` pixels; hard line breaks are kept, words too long for
    a line are split, and CJK text breaks between any two characters. Linear in the text's
    length: each character is measured once, and a long word is cut in one walk."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, size, bold) or [""])
    return lines


def _tokens(paragraph: str, bold: bool) -> list[list[tuple[str, float]]]:
    """Words, single spaces and wide characters, each as its (cluster, em width) pairs."""
    tokens: list[list[tuple[str, float]]] = []
    word: list[tuple[str, float]] = []
    for cluster in clusters(paragraph):
        if cluster == " " or _breakable(cluster):
            if word:
                tokens.append(word)
            tokens.append([(cluster, char_em(cluster[0], bold))])
            word = []
        else:
            word.append((cluster, char_em(cluster[0], bold)))
    if word:
        tokens.append(word)
    return tokens


class _Line:
    """The line being filled: its clusters, their widths, and the width without the trailing
    spaces (what `text_width(line.rstrip())` measures), kept up to date as clusters come."""

    def __init__(self, parts: list[tuple[str, float]] | None = None) -> None:
        self.parts: list[tuple[str, float]] = []
        self.total = 0.0  # em, trailing spaces included
        self.solid = 0.0  # em, without the trailing spaces
        self.chars = 0
        self.blank = True  # nothing but spaces so far
        for part in parts or ():
            self.add(part)

    def add(self, part: tuple[str, float]) -> None:
        self.parts.append(part)
        self.total += part[1]
        self.chars += len(part[0])
        if not part[0].isspace():
            self.solid, self.blank = self.total, False

    def solid_with(self, token: list[tuple[str, float]]) -> float:
        total, solid = self.total, self.solid
        for cluster, em in token:
            total += em
            if not cluster.isspace():
                solid = total
        return solid

    def text(self) -> str:
        return "".join(c for c, _ in self.parts).rstrip()


def _wrap_paragraph(paragraph: str, width: float, size: float, bold: bool) -> list[str]:
    lines: list[str] = []
    line = _Line()
    for token in _tokens(paragraph, bold):
        if line.blank or line.solid_with(token) * size <= width:
            for part in token:
                line.add(part)
        else:
            lines.append(line.text())
            line = _Line([] if token[0][0] == " " else token)
        if line.solid * size > width and line.chars > 1:
            line = _cut_long(line, width, size, lines)
    if not line.blank:
        lines.append(line.text())
    return lines


def _cut_long(line: _Line, width: float, size: float, lines: list[str]) -> _Line:
    """Cut a line too long for `width` (a word longer than a line) into pieces that fit,
    never inside a cluster (at least one a piece), in one walk; the rest stays the line."""
    parts, start, chars_left = line.parts, 0, line.chars
    last_solid = max(i for i, (c, _) in enumerate(parts) if not c.isspace())
    while True:
        used, end = 0.0, start
        while end <= last_solid and used + parts[end][1] * size <= width:
            used += parts[end][1] * size
            end += 1
        if end > last_solid or chars_left <= 1:
            return _Line(parts[start:])  # the rest fits, or is one character
        end = max(end, start + 1)
        piece = "".join(c for c, _ in parts[start:end])
        lines.append(piece)
        chars_left -= len(piece)
        start = end
