"""Order keys agree with the npm library the web editor uses, and keep items in order."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from journeymap.domain.ordering import initial_keys, key_at, key_between, keys_between

KNOWN = json.loads((Path(__file__).parent / "data" / "order_keys.json").read_text())


def test_fixture_comes_from_the_pinned_npm_library() -> None:
    assert KNOWN["library"] == "fractional-indexing@3.2.0"
    assert sum(len(c["result"]) for c in KNOWN["calls"]) >= 500


def test_python_keys_equal_the_npm_keys() -> None:
    mismatches = []
    for call in KNOWN["calls"]:
        a, b, n = call["a"], call["b"], call["n"]
        got = [key_between(a, b)] if n == 1 else keys_between(a, b, n)
        if got != call["result"]:
            mismatches.append((a, b, n, got, call["result"]))
    assert mismatches == []


def test_first_keys_are_the_libraries_defaults() -> None:
    assert initial_keys(3) == ["a0", "a1", "a2"]
    assert key_between(None, "a0") == "Zz"
    assert key_between("a0", "a1") == "a0V"


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60))
def test_inserting_anywhere_keeps_order(positions: list[int]) -> None:
    keys: list[str] = []
    for p in positions:
        index = p % (len(keys) + 1)
        new = key_at(keys, index)
        keys.insert(index, new)
        assert keys == sorted(keys)
        assert len(set(keys)) == len(keys)


def test_the_web_app_pins_the_same_npm_library() -> None:
    """The browser (frontend/) places cards with the npm library the fixture came from, at
    exactly that version, so the server and the editor compute the same keys (tests/e2e runs
    the installed library itself against this fixture)."""
    frontend = Path(__file__).resolve().parents[2] / "frontend"
    name, version = KNOWN["library"].split("@")
    package = json.loads((frontend / "package.json").read_text())
    assert package["dependencies"][name] == version  # exact: no ^ or ~
    lock = json.loads((frontend / "package-lock.json").read_text())
    assert lock["packages"][f"node_modules/{name}"]["version"] == version
