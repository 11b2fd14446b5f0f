"""How quantities read to a person, on the poster and in the terminal."""

from __future__ import annotations

from journeymap.units import count, duration


def test_a_count_and_its_noun_agree() -> None:
    assert count(1, "journey") == "1 journey"
    assert count(0, "journey") == "0 journeys"
    assert count(2, "row") == "2 rows"
    assert count(1_200, "event") == "1,200 events"
    assert count(1, "entry", "entries") == "1 entry"
    assert count(3, "entry", "entries") == "3 entries"


def test_durations_read_in_the_unit_that_fits() -> None:
    assert duration(None) == "-"
    assert duration(46_000) == "46 s"
    assert duration(90 * 60_000) == "1.5 h"
