"""Saved views of a journey: which sections and lanes are hidden, which cards are shown (by
channel, owning team and persona) and the zoom, under a name, kept on the server so that they
follow the person to any browser.

- A view is its owner's own, unless they share it with the journey's team (`shared`): then
  every member of the workspace lists it and may apply it.
- Any member (a viewer too) saves views of their own; sharing one, or changing a shared one,
  needs an editor, as a shared view changes what the whole team is offered.
- Only the owner changes a view; the owner, or a workspace owner tidying the team's list,
  deletes one. A share link opens none of it (views are the team's).
- Limits: a name of 1 to NAME_MAX characters, unique among the person's views of the journey;
  PER_PERSON views per person per journey, SHARED_PER_JOURNEY shared views per journey;
  ITEMS_MAX entries in each list; zoom between ZOOM_MIN and ZOOM_MAX.
- The sections, lanes and personas a view names must be live in the journey when it is saved;
  ones deleted later are ignored where the view is applied (the web app's views/rules.ts).
- A view's ETag is its `updated_at`; changing or deleting one names it (If-Match).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.roles import RANK
from ..storage.unique import AlreadyStored
from . import preconditions
from .errors import Conflict, Forbidden, NotFound, invalid_field
from .policy import Principal, journey_access, signed_in
from .preconditions import IfMatch, time_etag

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import SavedViewRow, UserRow

TEAM_ONLY = "saved views"
NAME_MAX = 80
PER_PERSON = 50
SHARED_PER_JOURNEY = 50
ITEMS_MAX = 200
TEXT_MAX = 200
ZOOM_MIN, ZOOM_MAX = 0.1, 4.0


@dataclass(frozen=True)
class ViewSettings:
    """What a view shows: empty filters show every card."""

    hidden_sections: list[str] = field(default_factory=list)
    hidden_lanes: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)
    zoom: float | None = None


@dataclass(frozen=True)
class SavedView:
    id: str
    journey_id: str
    name: str
    shared: bool
    owner_id: str
    owner_name: str
    mine: bool
    settings: ViewSettings
    created_at: dt.datetime
    updated_at: dt.datetime
    etag: str


def views(db: Database, who: Principal, journey_id: str) -> list[SavedView]:
    """Your views of the journey and those shared with its team: shared first, then by name."""
    journey_access(db, who, journey_id, "viewer", team_only=TEAM_ONLY)
    me = signed_in(who)
    with db.read() as uow:
        return [_view(v, u, me) for v, u in uow.saved_views.visible_to(journey_id, me)]


def save_view(
    db: Database,
    who: Principal,
    journey_id: str,
    name: str,
    settings: Mapping[str, Any],
    *,
    shared: bool = False,
) -> SavedView:
    """A new view of the journey, yours (any member), or shared with its team (editors)."""
    access = journey_access(db, who, journey_id, "viewer", team_only=TEAM_ONLY)
    me = signed_in(who)
    name = _name(name)
    if shared:
        _may_share(access.role)
    with db.write() as uow:
        checked = _settings(uow, journey_id, settings)
        if uow.saved_views.count(journey_id, owner_id=me) >= PER_PERSON:
            raise Conflict(
                f"you have {PER_PERSON} views of this journey, the most one person may keep: "
                "delete one you no longer use first",
                title="Too many views",
            )
        if shared:
            _room_to_share(uow, journey_id)
        try:
            row = uow.saved_views.add(journey_id, me, name, shared, _stored(checked))
        except AlreadyStored:
            raise _name_taken(name) from None
        owner = uow.accounts.user(me)
        assert owner is not None
        return _view(row, owner, me)


def change_view(
    db: Database,
    who: Principal,
    journey_id: str,
    view_id: str,
    if_match: IfMatch | None,
    name: str,
    settings: Mapping[str, Any],
    *,
    shared: bool = False,
) -> SavedView:
    """Replace your view's name, settings and sharing; a shared view needs an editor."""
    access = journey_access(db, who, journey_id, "viewer", team_only=TEAM_ONLY)
    me = signed_in(who)
    name = _name(name)
    with db.write() as uow:
        row = _found(uow, journey_id, view_id, me)
        owner = uow.accounts.user(row.owner_id)
        assert owner is not None
        if row.owner_id != me:
            raise Forbidden(
                f"only {owner.display_name}, who saved this view, may change it; "
                "save your own copy under another name instead"
            )
        preconditions.check_at(if_match, row.updated_at, _view(row, owner, me))
        if shared or row.shared:
            _may_share(access.role)
        checked = _settings(uow, journey_id, settings)
        if shared and not row.shared:
            _room_to_share(uow, journey_id)
        other = uow.saved_views.named(journey_id, me, name)
        if other is not None and other.id != row.id:
            raise _name_taken(name)
        uow.saved_views.change(row, name, shared, _stored(checked))
        return _view(row, owner, me)


def delete_view(
    db: Database, who: Principal, journey_id: str, view_id: str, if_match: IfMatch | None
) -> None:
    """Delete a view: its owner, or (a shared one) an owner of the workspace."""
    access = journey_access(db, who, journey_id, "viewer", team_only=TEAM_ONLY)
    me = signed_in(who)
    with db.write() as uow:
        row = _found(uow, journey_id, view_id, me)
        owner = uow.accounts.user(row.owner_id)
        assert owner is not None
        if row.owner_id != me and RANK[access.role] < RANK["owner"]:
            raise Forbidden(
                f"only {owner.display_name}, who saved this view, or an owner of the workspace "
                "may delete it",
                needs="owner",
            )
        preconditions.check_at(if_match, row.updated_at, _view(row, owner, me))
        uow.saved_views.remove(journey_id, row.id)


def _found(uow: UnitOfWork, journey_id: str, view_id: str, me: str) -> SavedViewRow:
    """The view, when the caller may see it (someone else's own view is not there for them)."""
    row = uow.saved_views.get(journey_id, view_id, lock=True)
    if row is None or (row.owner_id != me and not row.shared):
        raise NotFound(
            f"this journey has no view '{view_id}' of yours; "
            f"GET /api/journeys/{journey_id}/views lists them"
        )
    return row


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise invalid_field("name", "give the view a name, e.g. 'Marketing only'")
    if len(cleaned) > NAME_MAX:
        raise invalid_field("name", f"a view's name has at most {NAME_MAX} characters")
    return cleaned


def _name_taken(name: str) -> Conflict:
    return Conflict(
        f"you have a view named '{name}' of this journey already: choose another name, or "
        "change that view (PUT .../views/{view_id})",
        title="Name in use",
    )


def _may_share(role: str) -> None:
    if RANK[role] < RANK["editor"]:
        raise Forbidden(
            f"you are a {role} of this journey: sharing a view with the team, or changing a "
            "shared one, needs an editor or more; save it as your own (shared: false)",
            needs="editor",
        )


def _room_to_share(uow: UnitOfWork, journey_id: str) -> None:
    if uow.saved_views.count(journey_id, shared=True) >= SHARED_PER_JOURNEY:
        raise Conflict(
            f"this journey has {SHARED_PER_JOURNEY} shared views, the most it may have: "
            "delete one the team no longer uses first",
            title="Too many views",
        )


def _settings(uow: UnitOfWork, journey_id: str, given: Mapping[str, Any]) -> ViewSettings:
    """The settings, checked against the journey as it is now."""
    unknown = set(given) - set(ViewSettings.__dataclass_fields__)
    if unknown:
        key = sorted(unknown)[0]
        raise invalid_field(
            f"settings.{key}",
            "a view holds hidden_sections, hidden_lanes, channels, teams, personas and zoom",
        )
    row = uow.journeys.get(journey_id)
    if row is None:  # deleted since the role check
        raise NotFound(f"there is no journey '{journey_id}' of yours")
    journey = uow.journeys.load(row)
    sections = journey.live_sections()
    live = {
        "hidden_sections": {s.id for s in sections},
        "hidden_lanes": {ln.id for s in sections for ln in journey.live_lanes(s)},
        "personas": {p.id for p in journey.live_personas()},
    }
    lists: dict[str, list[str]] = {}
    for key in ("hidden_sections", "hidden_lanes", "channels", "teams", "personas"):
        lists[key] = _texts(key, given.get(key) or [])
        known = live.get(key)
        missing = [x for x in lists[key] if known is not None and x not in known]
        if missing:
            what = key.removeprefix("hidden_").removesuffix("s")
            raise invalid_field(
                f"settings.{key}",
                f"this journey has no {what} '{missing[0]}' (it may have been deleted); "
                f"name ids from GET /api/journeys/{journey_id}",
            )
    return ViewSettings(**lists, zoom=_zoom(given.get("zoom")))


def _texts(key: str, value: Any) -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise invalid_field(f"settings.{key}", "give a list of strings")
    if len(value) > ITEMS_MAX:
        raise invalid_field(f"settings.{key}", f"a view lists at most {ITEMS_MAX} of them")
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > TEXT_MAX:
            raise invalid_field(
                f"settings.{key}", f"each is a non-empty string of at most {TEXT_MAX} characters"
            )
    return list(dict.fromkeys(value))


def _zoom(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid_field("settings.zoom", "give a number, e.g. 0.75 for 75%, or null")
    if not ZOOM_MIN <= value <= ZOOM_MAX:
        raise invalid_field(
            "settings.zoom", f"a zoom is between {ZOOM_MIN} and {ZOOM_MAX} (1 is actual size)"
        )
    return float(value)


def _stored(settings: ViewSettings) -> dict[str, Any]:
    return dict(vars(settings))


def _view(row: SavedViewRow, owner: UserRow, me: str) -> SavedView:
    stored = row.settings or {}
    settings = ViewSettings(
        **{k: stored[k] for k in ViewSettings.__dataclass_fields__ if k in stored}
    )
    return SavedView(
        row.id,
        row.journey_id,
        row.name,
        row.shared,
        row.owner_id,
        owner.display_name,
        row.owner_id == me,
        settings,
        row.created_at,
        row.updated_at,
        time_etag(row.updated_at),
    )
