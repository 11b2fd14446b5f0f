"""No input, however malformed, makes the loader crash: it loads, or it explains."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.domain.errors import JourneyInvalid
from journeymap.files.journey_file import decode, journey_from_text
from journeymap.files.yaml_text import dump_yaml
from journeymap.services.templates import template_text

TEMPLATE = template_text("online-store-checkout")
KEYS = [
    "format_version",
    "id",
    "title",
    "personas",
    "stages",
    "sections",
    "lanes",
    "cards",
    "emotions",
    "kind",
    "lane",
    "stage",
    "step",
    "text",
    "name",
    "severity",
    "channel",
    "score",
    "pain_points",
    "steps",
    "state",
    "review_by",
    "value",
    "mode",
    "status",
]
_fuzz = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def outcome(raw: bytes | str, as_json: bool = False) -> str:
    """'ok' or 'invalid'; anything else escapes as an exception and fails the test."""
    try:
        text = decode(raw, "f.yaml") if isinstance(raw, bytes) else raw
        journey_from_text(text, "f.yaml", as_json)
    except JourneyInvalid as error:
        assert error.problems, "an error must say what is wrong"
        assert all(str(p) for p in error.problems)
        return "invalid"
    return "ok"


@_fuzz
@given(st.binary(max_size=3000))
def test_binary_garbage(raw: bytes) -> None:
    assert outcome(raw) == "invalid"


@_fuzz
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    outcome(text)
    outcome(text, as_json=True)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.sampled_from(KEYS),
)
_documents = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=60,
)


@_fuzz
@given(st.dictionaries(st.sampled_from(KEYS), _documents, max_size=10))
def test_wrongly_shaped_documents(document: dict[str, object]) -> None:
    outcome(dump_yaml({"format_version": 1, **document}))


@_fuzz
@given(st.randoms(use_true_random=False), st.integers(1, 8))
def test_mutated_template(rng: random.Random, edits: int) -> None:
    text = TEMPLATE
    for _ in range(edits):
        at = rng.randrange(len(text))
        span = rng.randrange(1, 40)
        choice = rng.random()
        if choice < 0.4:
            text = text[:at] + text[at + span :]
        elif choice < 0.7:
            text = (
                text[:at]
                + rng.choice(
                    [
                        ":",
                        "- ",
                        "\n",
                        "  ",
                        "{",
                        "]",
                        "'",
                        "&a ",
                        "*a",
                        "\t",
                        "!!str ",
                        "null",
                        "-3",
                        "?",
                    ]
                )
                + text[at:]
            )
        else:
            other = rng.randrange(len(text))
            text = text[:at] + text[other : other + span] + text[at + span :]
    outcome(text)


def test_huge_and_deep_inputs() -> None:
    assert outcome("title: " + "x" * 10_000_000) == "invalid"  # a 10 MB string
    assert outcome(TEMPLATE.replace("text: Cart page", "text: " + "y" * 2_000_000)) == "invalid"
    assert outcome("[" * 5000 + "]" * 5000) == "invalid"
    assert outcome("a: " + "{b: " * 2000 + "1" + "}" * 2000) == "invalid"
    assert outcome("- " * 3000 + "x") == "invalid"
    assert outcome("&a [*a, *a]") == "invalid"
    assert outcome("cards: " + "[" * 100 + "]" * 100) == "invalid"
    assert outcome("[-_]") == "invalid"  # once an IndexError inside the YAML parser
