"""A fast read of the common journey file, for commands that only read it (`analyze`,
`render`, `show`): libyaml's C parser instead of ruamel's round-trip parser, about twenty times
faster (7 ms against 140 ms for a 450-line template).

ruamel reads YAML 1.2 and keeps comments and positions for edits and located errors; PyYAML
reads YAML 1.1. This reader resolves plain scalars the YAML 1.2 way for the forms a journey
file uses (null, true/false, decimal integers, decimals, dates) and gives up, raising Unsure,
on anything where the two could differ (yes/no are text in both here; 0x1F, .inf, 1_000, times,
sexagesimals, leading zeros, tags, anchors, repeated keys). The caller then reads the text the
full way, which also makes the located error messages. A test holds the two readers equal.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from .nesting import MAX_DEPTH, TooDeep, check_nesting
from .yaml_text import MAX_NODES  # past them the full reader says which


class Unsure(ValueError):
    """The fast reader cannot promise the full reader's answer: read it the full way."""


_TOKEN_MARKS = re.compile(r"(?:^|[\s\[{,:-])[!&*][^\s]")  # a tag, an anchor or an alias


def _loader() -> Any:
    import yaml

    base = getattr(yaml, "CSafeLoader", None)
    if base is None:  # pragma: no cover - PyYAML built without libyaml
        raise Unsure("no libyaml")

    class Loader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            keys = [k.value for k, _ in node.value]
            if len(set(keys)) != len(keys):
                raise Unsure("a repeated key")
            return super().construct_mapping(node, deep)

    def add(tag: str, pattern: str, first: str | list[str]) -> None:
        Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))

    add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
    add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
    add("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
    add(
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
        "-+0123456789",
    )
    add("tag:yaml.org,2002:timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "0123456789")
    # Anything else number-like, a special float or a time: the two readers may differ.
    add(
        "tag:journeymap:unsure",
        r"^(?:[-+]?\.?[0-9][0-9a-fA-F_:.xXoObB+-]*|[-+]?\.[A-Za-z]+"
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ].*)$",
        "-+.0123456789",
    )
    Loader.add_constructor("tag:journeymap:unsure", _unsure)
    return Loader


def _unsure(loader: Any, node: Any) -> Any:
    raise Unsure(f"the value {node.value!r}")


_LOADER: Any = None


def fast_load(text: str) -> Any:
    """The plain data of a YAML document, as the full reader would give it, or Unsure."""
    global _LOADER
    if _TOKEN_MARKS.search(text) or "\t" in text:
        raise Unsure("tags, anchors, aliases or tabs")
    try:  # before libyaml, whose composer recurses in C: a deep enough text would crash it
        check_nesting(text, MAX_DEPTH)
    except TooDeep:
        raise Unsure("nested too deeply") from None
    import yaml

    if _LOADER is None:
        _LOADER = _loader()
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader, its resolvers narrowed
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        raise Unsure(str(error)) from None
    _check_size(data)
    return data


def _check_size(data: Any) -> None:
    """Within the full reader's limits on values and nesting (else it says which)."""
    stack = [(data, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise Unsure("too large or too deep")
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                raise Unsure("a key that is not text")
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
