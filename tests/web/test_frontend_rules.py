"""The web app's copies of the server's rules stay equal to them: the editor offers only what
the server accepts (a card dropped in a lane that cannot hold it would be refused)."""

from __future__ import annotations

import re
from pathlib import Path

from journeymap.domain.model import LANE_ACCEPTS

STRUCTURE = Path(__file__).resolve().parents[2] / "frontend" / "src" / "editor" / "structure.ts"


def test_the_lanes_card_kinds_are_the_servers() -> None:
    source = STRUCTURE.read_text()
    table = source[source.index("export const LANE_ACCEPTS") :]
    table = table[: table.index("};")]
    listed = {
        lane: set(re.findall(r'"([a-z_]+)"', kinds))
        for lane, kinds in re.findall(r"^\s+([a-z_]+): \[([^\]]*)\],$", table, re.M)
    }
    assert listed == {kind.value: set(cards) for kind, cards in LANE_ACCEPTS.items()}


DEFAULTS = STRUCTURE.parent.parent / "editing" / "defaults.ts"


def _server_defaults() -> dict[str, dict[str, object]]:
    from pydantic import BaseModel
    from pydantic_core import PydanticUndefined

    from journeymap.domain import cards, model

    def filled(cls: type[BaseModel], skip: set[str]) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, info in cls.model_fields.items():
            if name in skip | {"order_key", "deleted"}:
                continue
            if info.default_factory is not None:
                value = info.default_factory()  # type: ignore[call-arg]
            elif info.default is not PydanticUndefined and info.default is not None:
                value = info.default
            else:
                continue
            out[name] = getattr(value, "value", value)
        return out

    table = {
        f"card:{kind.model_fields['kind'].default}": filled(kind, {"kind"})
        for kind in (
            cards.NoteCard,
            cards.TouchpointCard,
            cards.PainPointCard,
            cards.OpportunityCard,
            cards.QuoteCard,
            cards.MetricCard,
        )
    }
    # a stage's steps and a section's lanes are places, not fields, in the client's model
    for name, cls in (
        ("persona", model.Persona),
        ("channel", model.Channel),
        ("stage", model.Stage),
        ("step", model.Step),
        ("section", model.Section),
        ("lane", model.Lane),
        ("emotion", model.EmotionPoint),
    ):
        table[name] = filled(cls, {"steps", "lanes"})
    return table


def test_the_defaults_an_added_item_gets_are_the_servers() -> None:
    import json

    source = DEFAULTS.read_text()
    table = source[source.index("export const ADD_DEFAULTS") :]
    table = table[table.index("{") : table.index("};") + 1]
    listed = json.loads(re.sub(r",(\s*})", r"\1", table))
    assert listed == _server_defaults()
