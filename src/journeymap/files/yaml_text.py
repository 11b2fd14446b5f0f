"""YAML text in and out: parse with positions, and write canonical YAML that keeps comments.

Comments are kept by merging the new content into the tree parsed from the previous text:
mappings keep their keys' comments, lists of entities are matched by id, so a comment stays
with the item (or key) on the line above it. Everything else is written in one canonical style:
block mappings, two-space indents, flow style only for short lists of ids.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import CommentMark, MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from ..domain.errors import Path, Problem
from .nesting import MAX_DEPTH, TooDeep, check_nesting

MAX_NODES = 200_000
FLOW_LISTS = frozenset(
    {"personas", "pain_points", "tags", "aliases", "names", "patterns", "did", "did_not"}
)
Position = tuple[int, int]  # 1-based line and column


class YamlSyntaxError(ValueError):
    def __init__(
        self,
        message: str,
        hint: str,
        line: int | None,
        column: int | None,
        code: str = "syntax",
    ) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.column = message, hint, line, column
        self.code = code  # "too-deep": refused before any parser ran


@dataclass
class Parsed:
    tree: Any  # ruamel's round-trip tree, to merge into on save
    data: Any  # plain Python: dict, list, str, int, float, bool, None, date
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    prefix: str = ""  # comments above a `---` line, which the parser does not keep

    def located(self, problems: list[Problem], name: str) -> list[Problem]:
        """`problems` with the file name and the line and column each path is written at."""
        out = []
        for problem in problems:
            at_key = problem.code == "unknown-field"
            line, column = self.locate(problem.path, at_key) or (None, None)
            out.append(problem.located(name, line, column))
        return out

    def locate(self, path: Path, at_key: bool = False) -> Position | None:
        """Where `path` is written, else where its nearest written parent is."""
        if at_key and path in self.keys:
            return self.keys[path]
        for size in range(len(path), -1, -1):
            if path[:size] in self.values:
                return self.values[path[:size]]
        return None


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096  # never fold long text: a card is one line, and diffs stay readable
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    return y


def parse_yaml(text: str) -> Parsed:
    """Parse YAML (or JSON) text; YamlSyntaxError says where and how to fix it. The text's
    nesting is checked first, in linear time: the parser is slow on deep nesting."""
    try:
        check_nesting(text)
    except TooDeep as deep:
        raise YamlSyntaxError(
            f"the document nests more than {deep.limit} levels deep",
            "journey files nest a few levels only: is it really a journey file?",
            deep.line,
            deep.column,
            code="too-deep",
        ) from None
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"invalid YAML: {error.problem or error.context}"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise YamlSyntaxError(message, _syntax_hint(str(error)), line, col) from None
    except ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        char = error.character
        code = char if isinstance(char, int) else ord(str(char)[:1] or "?")
        raise YamlSyntaxError(
            f"the file holds a control character (#x{code:04x})",
            "journey files are text: is it really a journey file?",
            line,
            column,
        ) from None
    except RecursionError:
        raise YamlSyntaxError(
            "invalid YAML: nested too deeply", "journey files nest a few levels only", None, None
        ) from None
    except Exception as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise YamlSyntaxError(f"invalid YAML: {reason}", _syntax_hint(reason), None, None) from None
    if "*" in text:
        try:
            _refuse_aliases(text)
        except YamlSyntaxError:
            raise
        except Exception:
            pass
    parsed = Parsed(tree=tree, data=None, prefix=_prefix(text))
    if isinstance(tree, CommentedMap | CommentedSeq):
        parsed.values[()] = (tree.lc.line + 1, tree.lc.col + 1)
    counter = iter(range(MAX_NODES))
    parsed.data = _plain(tree, (), parsed, counter, set())  # also bounds the depth
    lift_comments(tree)
    return parsed


def _refuse_aliases(text: str) -> None:
    """Aliases (`*name`, `<<: *name`) would make one value stand in several places; journey
    files spell everything out, so that every value has one place to edit and to point at."""
    for event in _yaml().parse(text):
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            raise YamlSyntaxError(
                "YAML aliases (*name) are not supported in journey files",
                "write the repeated content out in full",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            )


def _prefix(text: str) -> str:
    """The comment lines above an explicit `---`, kept verbatim."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("---"):
            return "".join(lines[: i + 1]) if any(ln.strip() for ln in lines[:i]) else ""
        if stripped and not stripped.startswith(("#", "%")):
            return ""
    return ""


def _syntax_hint(text: str) -> str:
    if "'\\t'" in text:
        return "indent with spaces, not tabs"
    if "duplicate key" in text:
        return "a key may appear once per mapping: remove or rename the repeat"
    if "mapping values are not allowed" in text:
        return "text containing ': ' must be quoted, and keys in one mapping must line up"
    if "special characters are not allowed" in text:
        return "the file holds control characters or binary data: is it really a journey file?"
    return "check the indentation and the quotes on this line and the line before"


def _plain(node: Any, path: Path, out: Parsed, counter: Iterator[int], seen: set[int]) -> Any:
    if next(counter, None) is None:
        raise YamlSyntaxError(
            f"the document has more than {MAX_NODES} values",
            "a journey file this large is not supported: split the journey",
            None,
            None,
        )
    if len(path) > MAX_DEPTH:
        raise YamlSyntaxError(
            "the document is nested too deeply", "journey files nest a few levels only", None, None
        )
    if isinstance(node, CommentedMap | CommentedSeq):
        if id(node) in seen:
            line, col = out.values.get(path, (None, None))
            raise YamlSyntaxError(
                "YAML aliases (*name) are not supported in journey files",
                "write the repeated content out in full",
                line,
                col,
            )
        seen.add(id(node))
    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            name = str(key)
            child = (*path, name)
            key_at, value_at = _mark(node.lc.key, key), _mark(node.lc.value, key)
            if key_at:
                out.keys[child] = key_at
            if value_at:
                out.values[child] = value_at
            result[name] = _plain(node[key], child, out, counter, seen)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            child = (*path, i)
            item_at = _mark(node.lc.item, i)
            if item_at:
                out.values[child] = item_at
            items.append(_plain(item, child, out, counter, seen))
        return items
    if isinstance(node, TaggedScalar):
        return str(node.value)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime | dt.date):
        return node
    line, col = out.values.get(path, (None, None))
    raise YamlSyntaxError(
        f"unsupported YAML value of type {type(node).__name__} (a !!tag)",
        "use plain text, numbers, dates, lists and mappings",
        line,
        col,
    )


def _mark(lookup: Any, key: Any) -> Position | None:
    """ruamel's 0-based (line, column) as 1-based, or None where it has none (tagged nodes)."""
    try:
        found = lookup(key)
    except (KeyError, TypeError, IndexError):
        return None
    return (found[0] + 1, found[1] + 1) if found else None


def _split(token: CommentToken) -> tuple[CommentToken | None, CommentToken | None]:
    """(what stays at the end of the line, the full lines after it) of a trailing comment."""
    text = token.value
    cut = text.find("\n") + 1
    head, rest = text[:cut], text[cut:]
    keep = CommentToken(head, CommentMark(token.column), None) if head.strip() else None
    if not rest.strip():
        return keep, None
    indent = len(rest) - len(rest.lstrip(" "))
    return keep, CommentToken(rest[indent:], CommentMark(indent), None)


def _take_tail(node: Any, key: Any) -> list[CommentToken] | None:
    """Detach the full-line comments that follow node[key] (they belong to what comes next)."""
    value = node[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        last = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        found = _take_tail(value, last)
        if isinstance(value, CommentedSeq) and value.ca.end:
            end, value.ca.end = value.ca.end, []
            return (found or []) + [t for t in end if t is not None]
        return found
    slot = node.ca.items.get(key)
    index = 2 if isinstance(node, CommentedMap) else 0
    if not slot or slot[index] is None:
        return None
    keep, rest = _split(slot[index])
    slot[index] = keep
    return [rest] if rest is not None else None


def _first_item_owns(parent: CommentedMap, key: Any) -> None:
    """The comment above a list's first item belongs to that item, not to the list."""
    seq = parent[key]
    head = seq.ca.comment[1] if isinstance(seq, CommentedSeq) and seq.ca.comment else None
    if not head or not len(seq):
        return
    seq.ca.comment[1] = None
    slot = parent.ca.items.get(key)
    if slot and len(slot) > 3:
        slot[3] = None  # the parser keeps the same comment here too
    own = seq.ca.items.setdefault(0, [None, None, None, None])
    own[1] = head + (own[1] or [])


def lift_comments(node: Any) -> None:
    """Give each full-line comment to the key or item below it, where a person means it to
    belong; the parser hangs it on the line above. Then comments move and go with their item."""
    if isinstance(node, CommentedMap):
        keys = list(node)
        for k in keys:
            lift_comments(node[k])
            _first_item_owns(node, k)
        for a, b in itertools.pairwise(keys):
            tail = _take_tail(node, a)
            if tail:
                slot = node.ca.items.setdefault(b, [None, None, None, None])
                slot[1] = tail + (slot[1] or [])
    elif isinstance(node, CommentedSeq):
        for item in node:
            lift_comments(item)
        for i in range(len(node) - 1):
            tail = _take_tail(node, i)
            if tail:
                slot = node.ca.items.setdefault(i + 1, [None, None, None, None])
                slot[1] = tail + (slot[1] or [])


def dump_yaml(data: dict[str, Any], previous: Parsed | None = None) -> str:
    """Canonical YAML for `data`, keeping the comments of `previous` (the parsed old text)."""
    old = previous.tree if previous is not None else None
    tree = _merge(old, data, "") if isinstance(old, CommentedMap) else _build(data, "")
    buffer = io.StringIO()
    _yaml().dump(tree, buffer)
    return (previous.prefix if previous is not None else "") + buffer.getvalue()


# A literal block (`|`) keeps text as it is, so it can hold only YAML's printable characters
# (no escapes); text with anything else (a control character, U+FFFF, a line or paragraph
# separator, a BOM) goes double-quoted, where each is escaped.
_BLOCK_UNSAFE = re.compile(
    "[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


def _build(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _build(v, k)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_build(v, key) for v in value)
        if key in FLOW_LISTS and all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _BLOCK_UNSAFE.search(value):
        return DoubleQuotedScalarString(value)  # each such character escaped
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def _merge(old: Any, new: Any, key: str) -> Any:
    """`new` as a tree, reusing `old`'s nodes (and so their comments) where they match."""
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        for k in [k for k in old if k not in new]:
            del old[k]
        for k, v in new.items():
            old[k] = _merge(old[k], v, k) if k in old else _build(v, k)
            old.move_to_end(k)
        old.fa.set_block_style()
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        return _merge_list(old, new, key)
    return _build(new, key)


def _merge_list(old: CommentedSeq, new: list[Any], key: str) -> CommentedSeq:
    built: CommentedSeq = _build(new, key)
    by_id = {_item_id(item): i for i, item in enumerate(old) if _item_id(item) is not None}
    by_value = {item: i for i, item in enumerate(old) if isinstance(item, str)}
    unnamed = [
        i for i, item in enumerate(old) if isinstance(item, CommentedMap) and _item_id(item) is None
    ]
    for i, item in enumerate(new):
        ident = _item_id(item)
        j = by_id.get(ident) if ident is not None else by_value.get(item)
        if j is None and isinstance(item, dict):
            j = _same_item(old, unnamed, item)  # written without an id: the loader made one
        if j is None:
            continue
        if isinstance(item, dict):
            built[i] = _merge(old[j], item, key)
        if j in old.ca.items:
            _carry_item_comment(old.ca.items[j], built, i)
    built.ca.comment = old.ca.comment
    built.ca.end = old.ca.end  # comment lines after the list, before the next key
    if built.ca.items:
        built.fa.set_block_style()  # a comment on an item needs the item on its own line
    return built


def _carry_item_comment(comment: list[Any], seq: CommentedSeq, i: int) -> None:
    """Keep a list item's comment; one written after a `{flow: mapping}` item, which is now
    written in block style, goes at the end of the item's first line."""
    item = seq[i]
    token = comment[0] if comment else None
    if isinstance(item, CommentedMap) and item and token is not None:
        first = next(iter(item))
        if first not in item.ca.items:
            item.ca.items[first] = [None, None, token, None]
        return
    seq.ca.items[i] = comment


_IDENTITY = ("kind", "stage", "step", "lane", "card", "text", "name")


def _same_item(old: CommentedSeq, candidates: list[int], item: dict[str, Any]) -> int | None:
    """The first id-less old item that agrees with `item` on the fields that identify it."""
    for j in candidates:
        keys = [k for k in _IDENTITY if k in old[j]]
        if keys and all(str(old[j][k]) == str(item.get(k)) for k in keys):
            candidates.remove(j)
            return j
    return None


def _item_id(item: Any) -> str | None:
    if isinstance(item, dict | CommentedMap):
        ident = item.get("id")
        return ident if isinstance(ident, str) else None
    return None
