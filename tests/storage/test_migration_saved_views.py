"""Migration 0007 (saved views) on both engines: upgrading a database that has a journey adds
the table (a view then stored and read back), and going back one step drops it alone."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from journeymap.services.journeys import create_journey
from journeymap.services.templates import new_journey
from journeymap.storage import open_database
from journeymap.storage.database import create_db_engine, current_revision, upgrade
from journeymap.storage.migrations import alembic_config


def _before() -> str:
    """The revision 0007 follows (whatever the branches merged before it)."""
    down = ScriptDirectory.from_config(alembic_config()).get_revision("0007").down_revision
    assert isinstance(down, str)
    return down


def test_0007_adds_saved_views_and_takes_them_back(db_url: str) -> None:
    before = _before()
    engine = create_db_engine(db_url)
    upgrade(engine, before)
    engine.dispose()
    db = open_database(db_url)  # migrates to head
    with db.write() as uow:
        uow.accounts.add_workspace("Team", workspace_id="w")
        user = uow.accounts.add_user("eve@example.com", "Eve")
        uow.accounts.set_role("w", user.id, "viewer")
    create_journey(db, "w", new_journey(template="online-store-checkout"), user.id, journey_id="j")
    with db.write() as uow:
        uow.saved_views.add("j", user.id, "Mine", False, {"hidden_lanes": ["thoughts"]})
    with db.read() as uow:
        ((view, owner),) = uow.saved_views.visible_to("j", user.id)
    assert (view.name, view.settings, owner.display_name) == (
        "Mine",
        {"hidden_lanes": ["thoughts"]},
        "Eve",
    )
    db.dispose()
    engine = create_db_engine(db_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), before)
    assert current_revision(engine) == before
    with engine.connect() as c:
        assert "saved_views" not in inspect(c).get_table_names()
        assert c.execute(text("SELECT count(*) FROM journeys")).scalar() == 1
    engine.dispose()
