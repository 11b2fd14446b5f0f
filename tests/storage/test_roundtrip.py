"""What goes in comes back: every entity kind, tombstones, accounts, comments and evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from journeymap.domain.apply import apply_all
from journeymap.domain.operations import AddOp, DeleteOp
from journeymap.services.journeys import create_journey, entity_revs, get_journey
from journeymap.services.templates import new_journey, template_names
from journeymap.storage import Database
from journeymap.storage.mapping import canonical, flatten
from journeymap.storage.unique import AlreadyStored


@pytest.mark.parametrize("template", template_names())
def test_every_template_round_trips(db: Database, template: str) -> None:
    journey = new_journey(template=template)
    created = create_journey(db, "w1", journey, "u1", journey_id=f"j-{template}")
    assert created.rev == 1
    got = get_journey(db, f"j-{template}")
    assert got.rev == 1 and got.workspace_id == "w1"
    assert got.journey == canonical(journey)


def test_every_entity_kind_and_tombstones_round_trip(db: Database) -> None:
    journey = apply_all(
        new_journey(template="online-store-checkout"),
        [AddOp(entity="channel", id="kiosk", value={"name": "Kiosk", "mode": "physical"})],
    )
    kinds = {kind for kind, _ in flatten(journey)}
    assert kinds == {"persona", "channel", "stage", "step", "section", "lane", "card", "emotion"}
    card_kinds = {c.kind for c in journey.cards}
    assert {"touchpoint", "pain_point", "opportunity", "note"} <= card_kinds
    # tombstones are stored too, so that a restore can bring them back
    gone = apply_all(journey, [DeleteOp(entity="card", id=journey.live_cards()[0].id)])
    create_journey(db, "w1", gone, "u1", journey_id="j1")
    assert get_journey(db, "j1").journey == canonical(gone)
    revs = entity_revs(db, "j1")
    assert revs[("card", journey.live_cards()[0].id)] == (1, 1)
    assert revs[("journey", "")] == (1, None)
    assert all(updated == 1 for updated, _ in revs.values())


def test_accounts_memberships_and_roles(db: Database) -> None:
    with db.write() as uow:
        bob = uow.accounts.add_user("Bob@Example.com", "Bob")
        uow.accounts.set_role("w1", bob.id, "viewer")
        uow.accounts.set_role("w1", bob.id, "editor")
    with db.read() as uow:
        assert uow.accounts.role("w1", bob.id) == "editor"
        assert uow.accounts.user_by_email("bob@example.com") is not None
        assert [u.display_name for _, u in uow.accounts.members("w1")] == ["Ann", "Bob"]
        assert [w.id for w, _ in uow.accounts.workspaces_of(bob.id)] == ["w1"]
    with pytest.raises(ValueError, match="unknown role"), db.write() as uow:
        uow.accounts.set_role("w1", bob.id, "admin")
    with pytest.raises(AlreadyStored), db.write() as uow:
        uow.accounts.add_user("bob@example.com", "Bob again")


def test_threaded_comments_with_mentions(db: Database) -> None:
    journey = new_journey(template="online-store-checkout")
    create_journey(db, "w1", journey, "u1", journey_id="j1")
    card = journey.live_cards()[0].id
    with db.write() as uow:
        bob = uow.accounts.add_user("bob@example.com", "Bob")
        top = uow.comments.add("j1", "card", card, "Is this measured?", "u1", mentions=[bob.id])
        reply = uow.comments.add("j1", "card", card, "Yes", bob.id, parent_id=top.id)
        uow.comments.add("j1", "stage", "awareness", "Rename?", "u1")
        top_id, reply_id = top.id, reply.id
    with db.read() as uow:
        on_card = uow.comments.of_journey("j1", "card", card)
        assert [(c.id, c.parent_id) for c in on_card] == [(top_id, None), (reply_id, top_id)]
        assert uow.comments.mentions([top_id, reply_id]) == {top_id: [bob.id], reply_id: []}
        assert [c.id for c in uow.comments.mentioning(bob.id)] == [top_id]
        assert len(uow.comments.of_journey("j1")) == 3
    with db.write() as uow:
        uow.comments.resolve(top_id)
    with db.read() as uow:
        resolved = uow.comments.get(top_id)
        assert resolved is not None and resolved.resolved_at is not None
        assert resolved.resolved_at.tzinfo is not None


def test_editing_a_comment_replaces_its_mentions(db: Database) -> None:
    journey = new_journey(template="online-store-checkout")
    create_journey(db, "w1", journey, "u1", journey_id="j1")
    with db.write() as uow:
        bob = uow.accounts.add_user("bob@example.com", "Bob")
        cy = uow.accounts.add_user("cy@example.com", "Cy")
        made = uow.comments.add(
            "j1", "stage", "awareness", "@Ann @Bob", "u1", mentions=["u1", bob.id]
        )
        comment, before = made.id, made.updated_at
    with db.write() as uow:  # Ann stays, Bob goes, Cy comes (named twice: once)
        uow.comments.edit(comment, "@Ann @Cy @Cy", ["u1", cy.id, cy.id])
    with db.read() as uow:
        row = uow.comments.get(comment)
        assert row is not None and row.body == "@Ann @Cy @Cy" and row.updated_at > before
        assert uow.comments.mentions([comment]) == {comment: sorted(["u1", cy.id])}
        assert uow.comments.mentioning(bob.id) == []
    with db.write() as uow:
        uow.comments.edit(comment, "no one", [])
    with db.read() as uow:
        assert uow.comments.mentions([comment]) == {comment: []}


def test_evidence_blob(db: Database) -> None:
    create_journey(db, "w1", new_journey(template="service-signup"), "u1", journey_id="j1")
    blob = {"touchpoints": {"tp": {"reach": 120, "n": 400}}, "period": ["2024-01-01", None]}
    with db.write() as uow:
        uow.evidence.put("j1", blob, "u1")
    with db.read() as uow:
        row = uow.evidence.get("j1")
        assert row is not None and row.data == blob


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError):
        create_journey(db, "no-such-workspace", new_journey(), "u1", journey_id="j1")


def test_a_read_sees_one_snapshot(db_url: str) -> None:
    """What a read transaction reads stays as it first saw it, while another commits."""
    from journeymap.storage import open_database

    db = open_database(db_url)
    with db.write() as uow:
        uow.accounts.add_workspace("Before", workspace_id="w9")
    with db.read() as uow:
        first = uow.session.execute(text("SELECT name FROM workspaces WHERE id = 'w9'")).scalar()
        with db.write() as other:
            row = other.accounts.workspace("w9")
            assert row is not None
            other.accounts.rename_workspace(row, "After")
        again = uow.session.execute(text("SELECT name FROM workspaces WHERE id = 'w9'")).scalar()
    assert first == again == "Before"
    db.dispose()
