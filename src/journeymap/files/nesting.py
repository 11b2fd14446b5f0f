"""How deeply YAML (or JSON) text nests, measured in one pass before any parser sees the text.

ruamel's scanner takes time quadratic in the depth of flow collections (5 KB of `[` costs
seconds of CPU), and json's decoder recurses once per level; a few such requests at once
would starve every other. This pass reads each character a bounded number of times, and
refuses text that nests deeper than the limit before a parser runs.

What it counts is an upper bound of the depth the parser will see (a property test holds it to
that over every way YAML and JSON write a document): the open block collections (each at its
column, a sequence also at its mapping's), compact `- ` / `? ` entries and keys on one line, open
flow brackets, and a `key: value` entry of a `[...]`. It skips what the parser reads as text:
comments, quoted scalars, block scalars (`|`, `>`) and the lines a plain scalar goes on over
(until a comment or a `: ` ends it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 64
_OPEN, _CLOSE = "[{", "]}"
_BLANK = " \t"
_FLOW_MARK = re.compile(r"[\[\]{},:?#\"']")
_ENDS = ("", " ", "\t", ",", "[", "]", "{", "}")  # what may follow a `:` that marks a value
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
    # The open block collections: (column, kind), kind "-" a sequence, ":" a mapping, ""
    # not known yet. A sequence may sit at its mapping's column (`key:` then `- item`).
    indents: list[tuple[int, str]] = field(default_factory=list)
    flow: list[str] = field(default_factory=list)  # the open flow brackets
    pairs: list[bool] = field(default_factory=list)  # each `[` entry a `key: value` pair?
    paired: int = 0  # how many of those are (a pair is a mapping: one level more)
    flow_base: int = 0  # the block depth where the open flow collection began
    quote: str | None = None  # inside a quoted scalar that continues on the next line
    text_above: int | None = None  # lines indented more than this are a scalar's text
    plain: bool = False  # ... of a plain scalar, which a comment or `: ` ends
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
            if not self.flow:
                self._after_node(line, pos)
                return
        if self.flow:
            self._flow(line, pos)
            return
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped:
            return
        if stripped.startswith("#"):
            if self.plain:
                self.text_above, self.plain = None, False  # a comment ends a plain scalar
            return
        if self.text_above is not None:
            if indent > self.text_above and not (self.plain and _ends_plain(line, stripped)):
                return  # a block scalar's or a plain scalar's next line: text
            self.text_above, self.plain = None, False
        if stripped.startswith("%"):
            return  # a directive
        if stripped[:3] in ("---", "...") and stripped[3:4] in ("", " ", "\t"):
            self.indents.clear()  # a new document
            self._value(line, indent + 3)
            return
        while self.indents and self.indents[-1][0] > indent:
            self.indents.pop()
        self._value(line, indent)

    def _open(self, column: int, kind: str) -> None:
        """A block collection of `kind` at `column`, unless the open one there is it."""
        while self.indents and self.indents[-1][0] == column:
            _, open_kind = self.indents[-1]
            if open_kind == kind or not kind:
                return  # the same collection goes on
            if not open_kind:
                self.indents[-1] = (column, kind)
                return
            if kind == ":":  # a sequence beside its mapping's keys ended: the mapping goes on
                self.indents.pop()
                continue
            break  # a sequence at its mapping's column: one level deeper
        self.indents.append((column, kind))
        self._reach(len(self.indents), column)

    def _value(self, line: str, pos: int) -> None:
        """The nodes from `pos` of a line: compact entries (`- - x`) and keys (`- a: b`) each
        open a collection at their column; then a value (a loop, not recursion: a line may
        hold many `key: ` in a row)."""
        first = True
        while True:
            pos = _skip_blank(line, pos)
            char = line[pos : pos + 1]
            if char in ("-", "?", ":") and line[pos + 1 : pos + 2] in ("", " ", "\t"):
                self._open(pos, "-" if char == "-" else ":")  # a compact entry
                pos, first = pos + 1, False
                continue
            if char in ("&", "!"):  # an anchor or a tag before the node
                while pos < len(line) and line[pos] not in _BLANK:
                    pos += 1
                continue
            if not char or char == "#" or char == "*":
                return  # nothing (a nested block follows), a comment, or an alias
            if char in _OPEN:
                if first:
                    self._open(pos, "")
                self.flow_base = len(self.indents)
                self._flow(line, pos)
                return
            if char in ("|", ">"):
                self._text_below(plain=False)  # a block scalar
                return
            if char in ('"', "'"):
                end = _after_quote(line, pos + 1, char)
                if end < 0:
                    self.quote = char
                    return
                after = _skip_blank(line, end)
                if line[after : after + 1] != ":":
                    return  # a quoted value (a line below it is structure, or an error)
                colon = after  # a quoted key
            else:
                colon = _mapping_colon(line, pos)
                if colon < 0:
                    if first:
                        self._open(pos, "")
                    self._text_below(plain=True)  # a plain scalar, which may go on below
                    return
            self._open(pos, ":")  # a key: its mapping is at its column
            pos, first = colon + 1, False

    def _text_below(self, plain: bool) -> None:
        """The lines below indented more than the innermost collection are the scalar's."""
        self.text_above = self.indents[-1][0] if self.indents else -1
        self.plain = plain

    def _after_node(self, line: str, pos: int) -> None:
        """After a quoted scalar or a flow collection that ended on this line: `: value` when
        it was a key."""
        pos = _skip_blank(line, pos)
        if line[pos : pos + 1] == ":":
            self._value(line, pos + 1)

    def _flow(self, line: str, pos: int) -> None:
        """Inside flow collections: brackets count, and so does a `key: value` entry of a
        `[...]` (a mapping of one pair); quoted text and comments do not. Only the characters
        that matter are visited (a regular expression finds the next one)."""
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
                self.flow.append(char)
                self.pairs.append(False)
                self._reach(self.flow_base + len(self.flow) + self.paired, at)
                start_of_node = True
            elif char in _CLOSE:
                if self.flow:
                    self.flow.pop()
                    self.paired -= self.pairs.pop()
                if not self.flow:
                    self._after_node(line, pos)  # `: value` when it was a flow key
                    return
                start_of_node = False
            elif char == "," or (char in ":?" and _pair_mark(line, at, start_of_node)):
                if self.flow and self.flow[-1] == "[" and (char == ",") == self.pairs[-1]:
                    self.pairs[-1] = char != ","  # a pair begins, or the entry ends
                    self.paired += 1 if self.pairs[-1] else -1
                    self._reach(self.flow_base + len(self.flow) + self.paired, at)
                start_of_node = True
            elif char == "#":
                if at == 0 or line[at - 1] in _BLANK:
                    return
                start_of_node = False
            elif char in ":?":
                start_of_node = False  # inside plain text (`a:b`)
            elif start_of_node:  # a quote that opens a quoted scalar
                end = _after_quote(line, at + 1, char)
                if end < 0:
                    self.quote = char
                    return
                pos, start_of_node = end, False
            else:
                start_of_node = False  # a quote inside plain text


def _ends_plain(line: str, stripped: str) -> bool:
    """Whether a line below a plain scalar ends it (a comment, a `: `, a document marker)
    rather than going on with its text: then it is read as structure."""
    if line.startswith(("---", "...")):
        return True
    return _KEY_MARK.search(line) is not None


def _pair_mark(line: str, at: int, start_of_node: bool) -> bool:
    """Whether the `:` or `?` at `at` makes a `key: value` pair (`a: b`, `"a":b`, `? a`)."""
    follows_value = line[at + 1 : at + 2] in _ENDS
    if line[at] == "?":
        return start_of_node and follows_value
    return follows_value or line[at - 1 : at] in ('"', "'")


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
