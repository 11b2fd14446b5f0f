"""Saved views, as the service keeps them (SQLite and PostgreSQL): personal by default, shared
with the team by editors, changed by their owner only, checked against the journey, bounded."""

from __future__ import annotations

from typing import Any

import pytest

from journeymap.services import saved_views as sv
from journeymap.services.errors import Conflict, Forbidden, Invalid, NotFound
from journeymap.services.journeys import create_journey, get_journey
from journeymap.services.policy import Principal
from journeymap.services.preconditions import IfMatch
from journeymap.services.templates import new_journey
from journeymap.storage import Database

ANN = Principal(user_id="u1", via="token")  # owner of w1
BO = Principal(user_id="u2", via="token")  # viewer
CY = Principal(user_id="u3", via="token")  # editor


@pytest.fixture
def journey(db: Database) -> tuple[str, list[str]]:
    """A journey in w1 and its lane ids; Bo is a viewer, Cy an editor."""
    with db.write() as uow:
        uow.accounts.add_user("bo@example.com", "Bo", user_id="u2")
        uow.accounts.set_role("w1", "u2", "viewer")
        uow.accounts.add_user("cy@example.com", "Cy", user_id="u3")
        uow.accounts.set_role("w1", "u3", "editor")
    create_journey(db, "w1", new_journey(template="online-store-checkout"), "u1", journey_id="j1")
    j = get_journey(db, "j1").journey
    return "j1", [ln.id for s in j.live_sections() for ln in j.live_lanes(s)]


def test_personal_and_shared_views(db: Database, journey: tuple[str, list[str]]) -> None:
    jid, lanes = journey
    mine = sv.save_view(db, BO, jid, "  Only   touchpoints ", {"hidden_lanes": lanes[:2]})
    assert (mine.name, mine.shared, mine.mine, mine.owner_name) == (
        "Only touchpoints",
        False,
        True,
        "Bo",
    )
    assert mine.settings.hidden_lanes == lanes[:2] and mine.settings.zoom is None
    team = sv.save_view(db, CY, jid, "Workshop", {"zoom": 0.5, "channels": ["web"]}, shared=True)
    # Bo sees his own and the shared one; Ann sees the shared one only.
    assert [(v.name, v.mine) for v in sv.views(db, BO, jid)] == [
        ("Workshop", False),
        ("Only touchpoints", True),
    ]
    assert [v.id for v in sv.views(db, ANN, jid)] == [team.id]
    # Someone else's personal view is not there for them at all.
    with pytest.raises(NotFound):
        sv.delete_view(db, ANN, jid, mine.id, IfMatch.parse(mine.etag))


def test_who_may_share_change_and_delete(db: Database, journey: tuple[str, list[str]]) -> None:
    jid, _ = journey
    with pytest.raises(Forbidden, match="needs an editor"):
        sv.save_view(db, BO, jid, "For all", {}, shared=True)
    team = sv.save_view(db, CY, jid, "For all", {}, shared=True)
    with pytest.raises(Forbidden, match="only Cy"):
        sv.change_view(db, ANN, jid, team.id, IfMatch.parse(team.etag), "Mine now", {})
    with pytest.raises(Forbidden, match="only Cy"):
        sv.delete_view(db, BO, jid, team.id, IfMatch.parse(team.etag))
    renamed = sv.change_view(
        db, CY, jid, team.id, IfMatch.parse(team.etag), "For everyone", {}, shared=True
    )
    assert renamed.name == "For everyone" and renamed.etag != team.etag
    # The old ETag is stale now; none at all is refused too.
    from journeymap.services.errors import PreconditionRequired, Stale

    with pytest.raises(Stale):
        sv.change_view(db, CY, jid, team.id, IfMatch.parse(team.etag), "Again", {})
    with pytest.raises(PreconditionRequired):
        sv.delete_view(db, CY, jid, team.id, None)
    sv.delete_view(db, ANN, jid, team.id, IfMatch.parse(renamed.etag))  # an owner tidies up
    assert sv.views(db, CY, jid) == []


def test_bad_settings_and_names(db: Database, journey: tuple[str, list[str]]) -> None:
    jid, lanes = journey
    cases: list[tuple[dict[str, Any], str]] = [
        ({"hidden_lanes": ["no-such-lane"]}, "settings.hidden_lanes"),
        ({"hidden_sections": [lanes[0]]}, "settings.hidden_sections"),
        ({"personas": ["nobody"]}, "settings.personas"),
        ({"zoom": 9}, "settings.zoom"),
        ({"zoom": True}, "settings.zoom"),
        ({"channels": "web"}, "settings.channels"),
        ({"channels": [""]}, "settings.channels"),
        ({"colour": "red"}, "settings.colour"),
    ]
    for settings, field in cases:
        with pytest.raises(Invalid) as refused:
            sv.save_view(db, BO, jid, "Bad", settings)
        assert refused.value.extra["errors"][0]["field"] == field, settings
    for name in ("   ", "x" * (sv.NAME_MAX + 1)):
        with pytest.raises(Invalid, match="name"):
            sv.save_view(db, BO, jid, name, {})
    sv.save_view(db, BO, jid, "Twice", {})
    with pytest.raises(Conflict, match="already"):
        sv.save_view(db, BO, jid, "Twice", {})
    sv.save_view(db, CY, jid, "Twice", {})  # a name is unique per person only


def test_limits(
    db: Database, journey: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    jid, _ = journey
    monkeypatch.setattr(sv, "PER_PERSON", 2)
    monkeypatch.setattr(sv, "SHARED_PER_JOURNEY", 1)
    sv.save_view(db, BO, jid, "One", {})
    sv.save_view(db, BO, jid, "Two", {})
    with pytest.raises(Conflict, match="the most one person may keep"):
        sv.save_view(db, BO, jid, "Three", {})
    sv.save_view(db, CY, jid, "Shared", {}, shared=True)
    with pytest.raises(Conflict, match="shared views, the most"):
        sv.save_view(db, ANN, jid, "Also shared", {}, shared=True)


def test_views_go_with_their_journey_and_owner(
    db: Database, journey: tuple[str, list[str]]
) -> None:
    jid, _ = journey
    sv.save_view(db, BO, jid, "Mine", {})
    with db.write() as uow:
        uow.accounts.delete_user("u2")
    with db.read() as uow:
        assert uow.saved_views.count(jid) == 0
