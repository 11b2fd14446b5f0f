"""How deeply YAML (or JSON) text nests, measured in one pass before any parser sees the text.

ruamel's scanner takes time quadratic in the depth of flow collections (5 KB of `[` costs
seconds of CPU), and json's decoder recurses once per level; a few such requests at once
would starve every other. This pass reads each character a bounded number of times, and
refuses text that nests deeper than the limit before a parser runs.

What it counts is an upper bound of the depth the parser will see: the open block collections
(indentation levels), compact `- ` / `? ` entries on one line, a mapping key on the line, and
open flow brackets. It skips what the parser reads as text: comments, quoted scalars, block
scalars (`|`, `>`) and the continuation lines of a plain scalar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 64
_OPEN, _CLOSE = "[{", "]}"
_BLANK = " \t"
_FLOW_MARK = re.compile(r"[\[\]{},:#\"']")
_KEY_MARK = re.compile(r"[ \t]#|:(?=[ \t]|$)")


class TooDeep(ValueError):
    def __init__(self, depth: int, limit: int, line: int, column: int) -> None:
        super().__init__(f"nested more than {limit} levels deep")
        self.depth, self.limit, self.line, self.column = depth, limit, line, column


def check_nesting(text: str, limit: int = MAX_DEPTH) -> None:
    """TooDeep (with the line and column where the limit is passed) if `text` nests deeper
    than `limit` levels."""
    _Scan(limit).run(text)


def nesting_depth(text: str) -> int:
    """The upper bound this module computes of how deeply `text` nests (for tests)."""
    scan = _Scan(None)
    scan.run(text)
    return scan.deepest


@dataclass
class _Scan:
    limit: int | None
    deepest: int = 0
    indents: list[int] = field(default_factory=list)  # the open block collections' columns
    flow: int = 0  # open flow brackets
    flow_base: int = 0  # the block depth where the open flow collection began
    quote: str | None = None  # inside a quoted scalar that continues on the next line
    text_above: int | None = None  # lines indented more than this are a scalar's text
    number: int = 0  # the current line, 1-based

    def run(self, text: str) -> None:
        for number, line in enumerate(text.split("\n"), start=1):
            self.number = number
            self._line(line.rstrip("\r"))

    def _reach(self, depth: int, column: int) -> None:
        self.deepest = max(self.deepest, depth)
        if self.limit is not None and depth > self.limit:
            raise TooDeep(depth, self.limit, self.number, column + 1)

    def _line(self, line: str) -> None:
        pos = 0
        if self.quote is not None:
            pos = _after_quote(line, 0, self.quote)
            if pos < 0:
                return  # the quoted text goes on
            self.quote = None
            if self.flow == 0:
                self._after_node(line, pos, len(self.indents))
                return
        if self.flow > 0:
            self._flow(line, pos)
            return
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped or stripped.startswith("#"):
            return
        if self.text_above is not None:
            if indent > self.text_above:
                return  # a block scalar's or a plain scalar's next line: text
            self.text_above = None
        if stripped.startswith("%"):
            return  # a directive
        if stripped[:3] in ("---", "...") and stripped[3:4] in ("", " ", "\t"):
            self.indents.clear()  # a new document
            self._value(line, indent + 3, indent, 0)
            return
        while self.indents and self.indents[-1] >= indent:
            self.indents.pop()
        self.indents.append(indent)
        self._value(line, indent, indent, len(self.indents))

    def _value(self, line: str, pos: int, indent: int, depth: int) -> None:
        """Nodes from `pos` of a line whose block depth is `depth`: compact entries, keys,
        then a value (a loop, not recursion: a line may hold many `key: ` in a row)."""
        while True:
            pos = _skip_blank(line, pos)
            char = line[pos : pos + 1]
            if char in ("-", "?", ":") and line[pos + 1 : pos + 2] in ("", " ", "\t"):
                depth += 1  # a compact entry opens one more level on this line
                self._reach(depth, pos)
                pos += 1
                continue
            if char in ("&", "!"):  # an anchor or a tag before the node
                while pos < len(line) and line[pos] not in _BLANK:
                    pos += 1
                continue
            if not char or char == "#" or char == "*":
                return  # nothing (a nested block follows), a comment, or an alias
            if char in _OPEN:
                self.flow_base = depth
                self._flow(line, pos)
                return
            if char in ("|", ">"):
                self.text_above = indent
                return
            if char in ('"', "'"):
                end = _after_quote(line, pos + 1, char)
                if end < 0:
                    self.quote = char
                    return
                pos = _skip_blank(line, end)
                if line[pos : pos + 1] != ":":
                    return  # a quoted value
                colon = pos  # a quoted key
            else:
                colon = _mapping_colon(line, pos)
                if colon < 0:
                    self.text_above = indent  # a plain scalar, which may go on below
                    return
            depth += 1  # a key: a mapping on this line
            self._reach(depth, pos)
            pos = colon + 1

    def _after_node(self, line: str, pos: int, depth: int) -> None:
        """After a quoted scalar that ended on this line: `: value` when it was a key."""
        pos = _skip_blank(line, pos)
        if line[pos : pos + 1] == ":":
            self._reach(depth + 1, pos)
            self._value(line, pos + 1, len(line) - len(line.lstrip(" ")), depth + 1)

    def _flow(self, line: str, pos: int) -> None:
        """Inside flow collections: brackets count; quoted text and comments do not. Only the
        characters that matter are visited (a regular expression finds the next one)."""
        start_of_node = True
        while True:
            found = _FLOW_MARK.search(line, pos)
            if found is None:
                return
            at, char = found.start(), found.group()
            if at > pos and line[pos:at].strip(_BLANK):
                start_of_node = False  # plain text came before it
            pos = at + 1
            if char in _OPEN:
                self.flow += 1
                self._reach(self.flow_base + self.flow, at)
                start_of_node = True
            elif char in _CLOSE:
                self.flow = max(0, self.flow - 1)
                if self.flow == 0:
                    return  # the rest of the line is a comment, or `: value` of a flow key
                start_of_node = False
            elif char in ",:":
                start_of_node = True
            elif char == "#":
                if at == 0 or line[at - 1] in _BLANK:
                    return
                start_of_node = False
            elif start_of_node:  # a quote that opens a quoted scalar
                end = _after_quote(line, at + 1, char)
                if end < 0:
                    self.quote = char
                    return
                pos, start_of_node = end, False
            else:
                start_of_node = False  # a quote inside plain text


def _skip_blank(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in _BLANK:
        pos += 1
    return pos


def _after_quote(line: str, pos: int, quote: str) -> int:
    """The index after the quote that closes a scalar at `pos`, or -1 if it goes on."""
    while True:
        at = line.find(quote, pos)
        if at < 0:
            return -1
        if quote == "'":
            if line[at + 1 : at + 2] == "'":
                pos = at + 2  # '' is a quote inside single quotes
                continue
            return at + 1
        slashes = 0
        while at - slashes - 1 >= pos and line[at - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2 == 0:
            return at + 1
        pos = at + 1  # an escaped quote


def _mapping_colon(line: str, pos: int) -> int:
    """Where the `:` of `key: value` is on a line whose plain node starts at `pos`, or -1."""
    found = _KEY_MARK.search(line, pos)
    if found is None or found.group().endswith("#"):
        return -1
    return found.start()
