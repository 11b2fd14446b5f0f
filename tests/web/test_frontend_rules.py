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
