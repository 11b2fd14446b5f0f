"""The one-line summary of a revision in the history list."""

from __future__ import annotations

from journeymap.services.revision_summary import summarise


def test_creation_restore_and_single_changes() -> None:
    assert summarise([{"kind": "create", "journey": {}}], "create") == "Created the journey"
    assert summarise([{"kind": "create"}], "future state of a") == (
        "Created the journey (future state of a)"
    )
    assert summarise([{"kind": "delete"}] * 3, "restore rev 4") == (
        "Restored revision 4 (3 changes)"
    )
    add = {"kind": "add", "entity": "card", "value": {"text": "Shipping fee shown"}}
    assert summarise([add]) == "Added card 'Shipping fee shown'"
    move = {"kind": "move", "entity": "emotion", "id": "e1"}
    assert summarise([move, add]) == "Moved emotion point 'e1' and 1 more change"
    setting = {"kind": "set", "entity": "card", "id": "fee", "field": "severity", "value": 5}
    assert summarise([setting, add, add]) == "Changed card 'fee': severity and 2 more changes"
    title = {"kind": "set", "entity": "journey", "field": "title", "value": "x"}
    assert summarise([title]) == "Changed the journey's title"
    rename = {"kind": "rename", "entity": "stage", "id": "buy", "name": "Purchase"}
    assert summarise([rename]) == "Renamed stage 'buy' to 'Purchase'"
    assert summarise([]) == "No change"


def test_long_text_is_cut() -> None:
    add = {"kind": "add", "entity": "card", "value": {"text": "x" * 100}}
    line = summarise([add])
    assert line.endswith("…'") and len(line) < 80
