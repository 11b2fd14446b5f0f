"""Nested YAML and JSON: the depth is measured in one linear pass and refused before any parser
runs; a few parses at once per process, the rest told to come back (503, Retry-After)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.domain.errors import JourneyInvalid
from journeymap.files import journey_file, nesting, yaml_text
from journeymap.files.journey_file import journey_from_text
from journeymap.files.nesting import MAX_DEPTH, TooDeep, check_nesting, nesting_depth
from journeymap.services.templates import template_names, template_text
from tests.server.conftest import Site

from .conftest import linear

BOMBS = {
    "flow": "[" * 5000,
    "json": '{"a": ' * 3000,
    "compact": "- " * 2500 + "x",
    "keys": "cards:\n" + "".join(" " * i + "a:\n" for i in range(1, 200)),
    "late": "title: fine\ncards:\n  - text: |\n      [[[[\nstages: " + "[" * 300,
    "after a comment": "title: a plain\n  # which a comment ends\n  " + "[" * 300,
    "flow key": "[a]: " + "[" * 300,
    "indentless": "cards:\n- - - " + "[" * 300,
}


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any call of the YAML or the JSON parser fails the test."""

    def never(*_: Any, **__: Any) -> Any:
        raise AssertionError("a parser ran on text the depth check should have refused")

    monkeypatch.setattr(yaml_text, "_yaml", never)
    monkeypatch.setattr(journey_file, "json", type("NoJson", (), {"loads": never}))


@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("as_json", [False, True])
def test_deep_nesting_is_refused_before_any_parser_runs(
    name: str, as_json: bool, no_parser: None
) -> None:
    with pytest.raises(JourneyInvalid) as refused:
        journey_from_text(BOMBS[name], "upload.yaml", as_json=as_json)
    (problem,) = refused.value.problems
    assert problem.code == "too-deep"
    assert problem.message == f"the document nests more than {MAX_DEPTH} levels deep"
    assert problem.line is not None and problem.column is not None
    assert str(problem).startswith(f"upload.yaml:{problem.line}:{problem.column}: ")
    assert problem.hint and "a few levels" in problem.hint


def test_the_place_named_is_where_the_limit_is_passed() -> None:
    text = "title: x\nstages:\n  - " + "[" * 100 + "\n"
    with pytest.raises(TooDeep) as deep:
        check_nesting(text)
    assert deep.value.line == 3
    assert text.splitlines()[2][deep.value.column - 1] == "["


def test_the_depth_check_takes_linear_steps() -> None:
    module = nesting.__file__

    def of(shape: Callable[[int], str]) -> Callable[[int], Callable[[], int]]:
        return lambda n: lambda: nesting_depth(shape(n))

    shapes = {
        "flow": lambda n: "[" * n,
        "compact": lambda n: "- " * n,
        "lines": lambda n: "".join(f"  - text: 'card {i}: [it] ''quoted'''\n" for i in range(n)),
        "indent": lambda n: "".join(" " * (i % 50) + "a:\n" for i in range(n)),
        "json": lambda n: json.dumps([{"a": [i, "x]"]} for i in range(n)]),
    }
    for name, shape in shapes.items():
        ratio = linear(module, of(shape), 2000)
        assert ratio < 2.2, (name, ratio)


def test_journey_files_pass() -> None:
    for name in template_names():
        assert nesting_depth(template_text(name)) <= 8, name


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


_text = st.text(alphabet=st.sampled_from("ab :#[]{},'\"|>-?&*!\n\t\\é中"), max_size=12)
_scalars = st.one_of(_text, st.integers(), st.booleans(), st.none())
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
    max_leaves=25,
)


def _yaml(data: Any, flow: bool) -> str:
    from ruamel.yaml import YAML

    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = flow
    out = io.StringIO()
    writer.dump(data, out)
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_the_measure_never_underestimates_the_depth(data: Any) -> None:
    """However YAML or JSON writes a document (block, flow, compact, quoted keys, text with
    brackets), the measure is at least the real depth, so no deep document gets past it; and
    not far above, so no journey file is refused."""
    real = _depth(data)
    for text in (
        _yaml(data, flow=False),
        _yaml(data, flow=True),
        json.dumps(data),
        json.dumps(data, indent=2),
    ):
        measured = nesting_depth(text)
        assert real <= measured <= 2 * real + 2, (text, real, measured)


def test_the_import_route_refuses_a_nested_body(make_site: Callable[..., Site]) -> None:
    site = make_site()
    url = f"/api/workspaces/{site.workspace}/journeys/import"
    answer = site.client.post(url, content="[" * 5000, headers=site.auth())
    assert answer.status_code == 422
    assert "upload.yaml:1:64: the document nests more than 64 levels deep" in answer.text
    document = {"document": '{"title": ' + "[" * 5000}
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys", json=document, headers=site.auth()
    )
    assert made.status_code == 422 and "nests more than 64 levels deep" in made.text


def test_parses_past_the_limit_wait_then_get_503(make_site: Callable[..., Site]) -> None:
    site = make_site(JOURNEYMAP_PARSES=1, JOURNEYMAP_PARSE_WAIT=0.2)
    app: Any = site.client.app
    url = f"/api/workspaces/{site.workspace}/journeys/import"
    body = template_text("service-signup")
    with app.state.gates.parses.hold():  # another request is parsing
        busy = site.client.post(url, content=body, headers=site.auth())
        document = {"document": body}
        busy_too = site.client.post(
            f"/api/workspaces/{site.workspace}/journeys", json=document, headers=site.auth()
        )
    for answer in (busy, busy_too):
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "1"
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["detail"] == (
            "the server is busy with other journey files to read; try again in 1 seconds"
        )
    assert app.state.gates.parses.refused == 2
    done = site.client.post(url, content=body, headers=site.auth())  # the slot is free again
    assert done.status_code == 201, done.text
