"""The web app's stylesheets are plain CSS: every rule closed before the next begins. A rule left
open (a merge that lost one `}`) is read by the browser as nesting, and every rule after it then
applies only inside the unclosed one: the emotion lane's points lost their size that way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend" / "src"
SHEETS = sorted(FRONTEND.rglob("*.css"))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: str(p.relative_to(FRONTEND)))
def test_every_rule_is_closed_before_the_next_opens(sheet: Path) -> None:
    text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
    depth, at_rules = 0, 0  # blocks of @media and the like may hold rules
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if char == "{":
                if line.lstrip().startswith("@"):
                    at_rules += 1
                depth += 1
                assert depth <= at_rules + 1, f"{sheet.name}:{number}: a rule opens inside another"
            elif char == "}":
                depth -= 1
                at_rules = min(at_rules, depth)
                assert depth >= 0, f"{sheet.name}:{number}: a `}}` closes nothing"
    assert depth == 0, f"{sheet.name}: {depth} rule(s) never closed"


def test_there_are_stylesheets() -> None:
    assert len(SHEETS) > 5
