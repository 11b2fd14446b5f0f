"""Each entity kind is declared once (domain/entities.py) and what its fields hold is read from
its model (domain/field_traits.py): a field added to a card model, in that one file, is in the
journey file's JSON Schema, the API's description, the card spreadsheet, the library's search
and the CLI's `field=value`, with nothing else touched."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import get_args

import pytest

import journeymap
from journeymap.domain import entities
from journeymap.domain.cards import CARD_TYPES, Card
from journeymap.domain.field_traits import sheet_columns, value_shape, words_fields
from journeymap.domain.model import Journey
from journeymap.domain.operations import EntityKind
from journeymap.domain.roles import RANK, ROLES

PACKAGE = Path(journeymap.__file__).parent

# Two fields for the touchpoint card: one of a person's words, one a number.
NEW_FIELDS = """
    script: Text | None = Field(default=None, description="what the customer reads or hears")
    cost: Number | None = Field(default=None, description="what it costs, per customer")
"""

CHECK = """
import json, sys
from pathlib import Path
from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.cli.edit import parse_value
from journeymap.domain.document import journey_from_data
from journeymap.files.journey_file import load_journey as load
from journeymap.server.openapi import openapi_description
from journeymap.services.schema import journey_schema
from journeymap.services.sheets import COLUMNS, card_rows, import_rows
from journeymap.services.templates import new_journey
from journeymap.storage.search_index import terms_of

found = {}
defs = journey_schema()["$defs"]
found["json schema"] = {"script", "cost"} <= set(defs["TouchpointCard"]["properties"])
api = openapi_description()["components"]["schemas"]
found["openapi card"] = {"script", "cost"} <= set(api["TouchpointCard"]["properties"])
found["openapi add"] = {"script", "cost"} <= set(api["NewTouchpointCard"]["properties"])
found["openapi set"] = {"script", "cost"} <= set(api["SetCardOp"]["properties"]["field"]["enum"])

journey = new_journey("online-store-checkout")
touch = next(c for c in journey.cards if c.kind == "touchpoint")
touch = touch.model_copy(update={"script": "Your zeppelin ships today", "cost": 2.5})
journey = journey.model_copy(
    update={"cards": [touch if c.id == touch.id else c for c in journey.cards]}
)
row = next(r for r in card_rows(journey) if r["id"] == touch.id)
found["sheet columns"] = {"script", "cost"} <= set(COLUMNS)
found["sheet out"] = (row["script"], row["cost"]) == ("Your zeppelin ships today", 2.5)
back = import_rows(journey, ["id", "cost", "script"], [(2, [touch.id, "3,75", "Hello"])])
card = back.journey.card(touch.id)
found["sheet in"] = back.problems == [] and (card.cost, card.script) == (3.75, "Hello")
found["search"] = "zeppelin" in terms_of(journey).search_text

found["cli parser"] = (
    parse_value("cost", "12.5", "card"),
    parse_value("script", "2024", "card"),
) == (12.5, "2024")
path = Path(sys.argv[1])
ran = CliRunner().invoke(app, ["new", "--template", "online-store-checkout", "--force", str(path)])
ran = CliRunner().invoke(
    app, ["set", str(path), f"card:{touch.id}", "cost=4", "script=Mind the fee"]
)
card = load(path).card(touch.id)
found["cli set"] = ran.exit_code == 0 and (card.cost, card.script) == (4, "Mind the fee")
print(json.dumps(found))
"""


def test_a_field_added_to_a_card_model_is_found_everywhere(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "journeymap"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_static", "*.pyc"))
    cards = copy / "domain" / "cards.py"
    text = cards.read_text(encoding="utf-8")
    anchor = (
        '    events: EventBinding | None = Field(default=None, description="the events that '
        'mean it")\n'
    )
    assert anchor in text
    cards.write_text(text.replace(anchor, anchor + NEW_FIELDS), encoding="utf-8")
    script = tmp_path / "check.py"
    script.write_text(textwrap.dedent(CHECK), encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "map.yaml")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    found = __import__("json").loads(ran.stdout.strip().splitlines()[-1])
    assert found == dict.fromkeys(found, True) and len(found) == 10, found


def test_the_copy_is_the_package_under_test(tmp_path: Path) -> None:
    """The check above runs the copy, not the installed package: without the new fields it
    finds none of them."""
    copy = tmp_path / "src" / "journeymap"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_static", "*.pyc"))
    probe = "import journeymap, sys; print(journeymap.__file__)"
    ran = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert ran.stdout.strip() == str(copy / "__init__.py")


def test_every_kind_is_declared_once_and_matches_the_model() -> None:
    assert tuple(k.name for k in entities.KINDS) == get_args(EntityKind)
    for kind in entities.KINDS:
        if kind.parent is None:
            assert kind.collection in Journey.model_fields
        else:
            parent = entities.KIND[kind.parent]
            assert parent.children == kind.collection
            assert kind.collection in parent.models[0].model_fields
        for model in kind.models:
            for field in (*kind.place, *([kind.name_field] if kind.name_field else [])):
                assert field in model.model_fields or field == kind.parent, (kind.name, field)
    assert entities.same_ids("step") == ("stage", "step") == entities.same_ids("stage")
    assert entities.same_ids("card") == ("card",)
    assert set(CARD_TYPES) == {
        get_args(m.model_fields["kind"].annotation)[0] for m in get_args(get_args(Card)[0])
    }


def test_what_fields_hold_is_read_from_their_types() -> None:
    pain, touch, quote = CARD_TYPES["pain_point"], CARD_TYPES["touchpoint"], CARD_TYPES["quote"]
    assert "text" in words_fields(pain) and "tags" in words_fields(pain)
    for structure in ("id", "stage", "lane", "kind", "confidence", "severity", "frequency"):
        assert structure not in words_fields(pain), structure
    assert "events" not in words_fields(touch)  # a binding, not words
    assert "image" not in words_fields(quote)  # marked NOT_WORDS: a path or URL
    assert value_shape("card", "severity") == "whole"
    assert value_shape("card", "value", "metric") == "number"
    assert value_shape("card", "value") == "number"  # a whole number for some kinds
    assert value_shape("card", "tags") == value_shape("journey", "tags") == "list"
    assert value_shape("card", "events") == value_shape("journey", "funnel") == "mapping"
    assert value_shape("stage", "name") == value_shape("journey", "review_by") == "text"
    assert sheet_columns()[:6] == ("id", "kind", "stage", "step", "section", "lane")
    assert "events" not in sheet_columns()  # a nested part is no cell


@pytest.mark.parametrize("role", ROLES)
def test_roles_are_declared_once(role: str) -> None:
    from journeymap.server.schemas.workspaces import Role
    from journeymap.services import policy
    from journeymap.storage import models

    assert role in get_args(Role) and role in policy.ROLES and role in models.ROLES
    assert RANK[role] == ROLES.index(role)
    assert tuple(reversed(ROLES)) == models.ROLES  # as the first migration's check lists them
