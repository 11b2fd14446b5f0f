"""The fast reader gives the full reader's data, or steps aside (Unsure): on every template,
on generated documents whose scalars take every form YAML 1.1 and 1.2 read differently, and
on files with mistakes (whose located errors only the full reader makes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.domain.errors import JourneyInvalid
from journeymap.files.fast_yaml import Unsure, fast_load
from journeymap.files.journey_file import load_journey
from journeymap.files.yaml_text import YamlSyntaxError, parse_yaml


def full(text: str) -> Any:
    return parse_yaml(text).data


def test_every_template_reads_the_same(template: tuple[str, str]) -> None:
    _, text = template
    assert fast_load(text) == full(text)


# Scalars where YAML 1.1 (PyYAML) and 1.2 (ruamel) disagree, or that look like numbers.
AWKWARD = [
    "yes",
    "no",
    "on",
    "off",
    "Yes",
    "NO",
    "y",
    "n",
    "true",
    "False",
    "TRUE",
    "null",
    "~",
    "",
    "007",
    "0o17",
    "0x1F",
    "1_000",
    "12:30",
    "1:30:00",
    "-0",
    "+5",
    "3.",
    ".5",
    "1e3",
    "1.5e3",
    "1.0",
    "-2.25",
    ".inf",
    "-.Inf",
    ".nan",
    "2024-01-31",
    "2024-1-31",
    "2024-01-31T10:00:00",
    "2024-01-31 10:00:00+01:00",
    "1.2.3",
    "v1.0",
    "=1+2",
    "'quoted'",
    "-",
    "- x",
    "#1",
    "0",
    "100%",
    "1,5",
    "+",
    "NaN",
    "inf",
    "!important",
    "a: b",
    "€12",
    "12€",
]


def _scalar_line(value: str) -> str:
    return f"  - {value}" if value else "  -"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(AWKWARD) | st.text(max_size=12), min_size=1, max_size=12))
def test_generated_scalars_read_the_same_or_step_aside(values: list[str]) -> None:
    check_scalars(values)


def test_every_awkward_scalar_reads_the_same_or_steps_aside() -> None:
    for value in AWKWARD:
        check_scalars([value])


def check_scalars(values: list[str]) -> None:
    text = "items:\n" + "\n".join(_scalar_line(v) for v in values) + "\n"
    try:
        expected = full(text)
    except YamlSyntaxError:
        with pytest.raises(Unsure):
            fast_load(text)
        return
    try:
        got = fast_load(text)
    except Unsure:
        return
    assert got == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a repeated key
        "base: &b {x: 1}\nother: *b\n",  # an alias
        "x: !!int '3'\n",  # a tag
        "x: [1, 2\n",  # a syntax error
        "x: 0x1F\n",
    ],
)
def test_it_steps_aside_where_the_full_reader_decides(text: str) -> None:
    with pytest.raises(Unsure):
        fast_load(text)


def test_a_mistake_is_still_located_by_the_full_reader(small_file: Path) -> None:
    text = small_file.read_text().replace("severity: 5", "severity: 9")
    small_file.write_text(text)
    with pytest.raises(JourneyInvalid) as error:
        load_journey(small_file)
    (problem,) = error.value.problems
    assert problem.line is not None and "severity" in str(problem.path)


@pytest.mark.parametrize("depth", [100, 50_000])
def test_deep_nesting_is_refused_before_libyaml_runs(depth: int) -> None:
    """libyaml's composer recurses in C: 50,000 levels crashed the process before the check."""
    with pytest.raises(Unsure, match="nested too deeply"):
        fast_load("x: " + "[" * depth)
