"""Every kind of mistake in a journey file gets one exact, located message with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.domain.errors import JourneyInvalid
from journeymap.files.journey_file import MAX_FILE_BYTES, journey_from_text, load_journey

from ..samples import SMALL


def problems(text: str, as_json: bool = False) -> list[str]:
    with pytest.raises(JourneyInvalid) as caught:
        journey_from_text(text, "j.yaml", as_json)
    return [str(p) for p in caught.value.problems]


CASES = {
    "yaml syntax": (
        SMALL.replace("    name: Awareness", "    name: Awareness\n   bad: indent"),
        "j.yaml:8:4: invalid YAML: expected <block end>, but found '<block mapping start>' "
        "(check the indentation and the quotes on this line and the line before)",
    ),
    "tab indent": (
        SMALL.replace("  - id: awareness", "\t- id: awareness"),
        "j.yaml:6:1: invalid YAML: found character '\\t' that cannot start any token "
        "(indent with spaces, not tabs)",
    ),
    "duplicate key": (
        SMALL.replace("    name: Awareness", "    name: Awareness\n    name: Again"),
        'j.yaml:8:5: invalid YAML: found duplicate key "name" with value "Again" (original value: '
        '"Awareness") (a key may appear once per mapping: remove or rename the repeat)',
    ),
    "not a mapping": (
        "- just\n- a list\n",
        "j.yaml:1:1: a journey file holds a mapping of `key: value` lines, got a list "
        "(start from `journeymap new`)",
    ),
    "empty file": (
        "",
        "j.yaml: a journey file holds a mapping of `key: value` lines, got nothing (null) "
        "(start from `journeymap new`)",
    ),
    "missing format_version": (
        SMALL.replace("format_version: 1\n", ""),
        "j.yaml:1:1 format_version: missing required field 'format_version' "
        "(add `format_version: 1` as the first line)",
    ),
    "newer format_version": (
        SMALL.replace("format_version: 1", "format_version: 9"),
        "j.yaml:1:17 format_version: format_version 9 is newer than this journeymap reads "
        "(up to 1) (upgrade journeymap: pip install -U journeymap)",
    ),
    "unknown field": (
        SMALL.replace("    severity: 5", "    severty: 5"),
        "j.yaml:52:5 cards[2].severty: unknown field 'severty' (did you mean 'severity'?)",
    ),
    "unknown field, no close match": (
        SMALL.replace("    severity: 5", "    severity: 5\n    colour: red"),
        "j.yaml:53:5 cards[2].colour: unknown field 'colour' (allowed fields here are: id, lane, "
        "stage, step, text, details, confidence, evidence, tags, kind, severity, frequency)",
    ),
    "missing field": (
        SMALL.replace("    text: Sees an ad\n", ""),
        "j.yaml:35:5 cards[0].text: missing required field 'text' (add `text: ...`)",
    ),
    "number where text belongs": (
        SMALL.replace("text: Social ad", "text: 42"),
        "j.yaml:44:11 cards[1].text: expected text, got the number 42 (put the value in quotes)",
    ),
    "text where a list belongs": (
        SMALL.replace("personas: [alex]", "personas: alex"),
        "j.yaml:4:11 personas: expected a list, got text (write one `- item` per line)",
    ),
    "out of range": (
        SMALL.replace("severity: 5", "severity: 7"),
        "j.yaml:52:15 cards[2].severity: severity must be at most 5, got 7 "
        "(use a whole number from 1 (minor) to 5 (critical))",
    ),
    "too many decimals": (
        SMALL.replace("score: -1.5", "score: -1.55"),
        "j.yaml:67:12 emotions[1].score: score -1.55 has more than one decimal "
        "(use one decimal at most, such as -1.6 or -1.5)",
    ),
    "bad choice": (
        SMALL.replace("kind: pain_points", "kind: pains"),
        "j.yaml:27:15 sections[0].lanes[2].kind: 'pains' is not a valid kind "
        "(did you mean 'pain_points'?)",
    ),
    "unknown card kind": (
        SMALL.replace("kind: pain_point\n", "kind: pain\n"),
        "j.yaml:47:11 cards[2].kind: unknown card kind 'pain' (did you mean 'pain_point'?)",
    ),
    "bad id": (
        SMALL.replace("id: sees-ad", "id: sees ad!"),
        "j.yaml:35:9 cards[0].id: 'sees ad!' is not a valid id (ids are 1-64 letters, digits, "
        "'-', '_' or '.', starting with a letter or digit; for example 'sees-ad')",
    ),
    "unknown stage": (
        SMALL.replace("stage: awareness\n    lane: actions", "stage: awarness\n    lane: actions"),
        "j.yaml:37:12 cards[0].stage: unknown stage 'awarness' (did you mean 'awareness'?)",
    ),
    "unknown step": (
        SMALL.replace("step: delivery\n    lane: pains", "step: payment\n    lane: pains"),
        "j.yaml:49:11 cards[2].step: unknown step 'payment' in stage 'decision' "
        "(steps of 'decision' are: cart, delivery)",
    ),
    "unknown lane": (
        SMALL.replace("lane: touchpoints\n    text: Social", "lane: touchpoint\n    text: Social"),
        "j.yaml:43:11 cards[1].lane: unknown lane 'touchpoint' (did you mean 'touchpoints'?)",
    ),
    "unknown channel": (
        SMALL.replace("channel: social", "channel: emial"),
        "j.yaml:45:14 cards[1].channel: unknown channel 'emial' (did you mean 'email'?)",
    ),
    "card in the wrong kind of lane": (
        SMALL.replace("lane: pains\n    text: Shipping", "lane: actions\n    text: Shipping"),
        "j.yaml:47:11 cards[2].kind: a pain_point card cannot sit in lane 'actions' (a text lane) "
        "(move it to lane 'pains', or change the card's kind)",
    ),
    "unknown pain point": (
        SMALL.replace("pain_points: [fee]", "pain_points: [fees]"),
        "j.yaml:59:19 cards[3].pain_points[0]: unknown pain point 'fees' (did you mean 'fee'?)",
    ),
    "link to a card that is not a pain point": (
        SMALL.replace("pain_points: [fee]", "pain_points: [ad]"),
        "j.yaml:59:19 cards[3].pain_points[0]: card 'ad' is a touchpoint, not a pain_point "
        "(an opportunity links only to pain_point cards)",
    ),
    "future state without its current map": (
        SMALL.replace("title: Small journey", "title: Small journey\nstate: future"),
        "j.yaml:4:8 state: a future-state journey must name the current journey it improves "
        "(add `current_journey: <id of the current map>`)",
    ),
    "bad date": (
        SMALL.replace("title: Small journey", "title: Small journey\nreview_by: next spring"),
        "j.yaml:4:12 review_by: expected a date, got 'next spring' "
        "(write it as YYYY-MM-DD, e.g. 2026-03-31)",
    ),
    "text too long": (
        SMALL.replace("text: Sees an ad", "text: " + "x" * 10_001),
        "j.yaml:39:11 cards[0].text: 'text' is 10001 characters long; the limit is 10000 "
        "(shorten it, or move the detail to `details` or to linked evidence)",
    ),
    "yaml alias": (
        SMALL.replace("personas: [alex]", "personas: &p [alex]\ntags: *p"),
        "j.yaml:5:7: YAML aliases (*name) are not supported in journey files "
        "(write the repeated content out in full)",
    ),
    "two emotion points for one place": (
        SMALL.replace(
            "  - id: feel-delivery\n    stage: decision\n    step: delivery",
            "  - id: feel-delivery\n    stage: awareness",
        ),
        "j.yaml:64:5 emotions[1]: a second emotion point for the same place "
        "(keep one score per stage, step or touchpoint; merge their notes)",
    ),
    "custom channel shadowing a built-in one": (
        SMALL.replace("personas: [alex]", "personas: [alex]\nchannels:\n  - id: mail\n    name: M"),
        "j.yaml:6:9 channels[0].id: 'mail' is already the built-in channel 'mail' "
        "(use 'mail' on touchpoints directly, or choose another name)",
    ),
    "invalid json": (
        '{"format_version": 1,\n "id": "x",, }',
        "j.yaml:2:12: invalid JSON: Expecting property name enclosed in double quotes "
        "(check the commas, quotes and brackets)",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mistake_has_its_exact_message(case: str) -> None:
    text, expected = CASES[case]
    assert problems(text, as_json=case == "invalid json") == [expected]


def test_duplicate_ids_are_reported_with_what_follows_from_them() -> None:
    assert problems(SMALL.replace("id: fee-upfront", "id: fee")) == [
        "j.yaml:53:9 cards[3].id: duplicate id 'fee': another card has it "
        "(ids must be unique in a journey; rename one of them)",
        "j.yaml:59:19 cards[3].pain_points[0]: card 'fee' is an opportunity, not a pain_point "
        "(an opportunity links only to pain_point cards)",
    ]


def test_all_problems_are_reported_at_once_in_file_order() -> None:
    text = (
        SMALL.replace("channel: social", "channel: emial")
        .replace("severity: 5", "severity: 0")
        .replace("stage: awareness\n    lane: actions", "stage: awarness\n    lane: actions")
        .replace("score: -1.5", "score: 3")
    )
    found = problems(text)
    assert [p.split(" ")[0] for p in found] == [
        "j.yaml:37:12",
        "j.yaml:45:14",
        "j.yaml:52:15",
        "j.yaml:67:12",
    ]


def test_a_broken_lane_does_not_drown_its_cards_in_follow_on_errors() -> None:
    found = problems(SMALL.replace("kind: pain_points", "kind: pains"))
    assert len(found) == 1  # not also "unknown lane 'pains'" for the card that sits in it


def test_a_card_that_fails_is_skipped_but_the_rest_are_still_checked() -> None:
    text = SMALL.replace("severity: 5", "severity: high").replace("channel: social", "channel: x")
    found = [p.split(" ")[1] for p in problems(text)]
    assert found == ["cards[1].channel:", "cards[2].severity:"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_bytes(b"format_version: 1\ntitle: \xff\xfe")
    with pytest.raises(JourneyInvalid) as caught:
        load_journey(path)
    assert str(caught.value) == (
        f"{path}:2:8: not UTF-8 text (byte 0xff) "
        "(save the file as UTF-8; is it really a journey file?)"
    )


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(JourneyInvalid, match=r"nope.yaml: no such file \(check the path\)"):
        load_journey(tmp_path / "nope.yaml")
    with pytest.raises(JourneyInvalid, match="is a folder, not a file"):
        load_journey(tmp_path)


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * (MAX_FILE_BYTES + 10))
    with pytest.raises(JourneyInvalid) as caught:
        load_journey(path)
    assert str(caught.value) == (
        f"{path}: the file is 5.2 MB; journey files are limited to 5 MB "
        "(split the journey, or move long text into linked documents)"
    )
