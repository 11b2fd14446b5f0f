"""journeymap.Client against the real app on a real database: each method does what its name
says, answers come back as the API's own models (journeys as domain objects), and refusals as
ClientError carrying the problem."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import journeymap
from journeymap.client import Client, ClientError, RemoteJourney
from journeymap.domain.model import Journey, State
from journeymap.domain.operations import SetOp
from journeymap.server import schemas
from tests.fresh_imports import loaded_by

from .conftest import Site
from .helpers import evidence_data

TITLE = {"kind": "set", "entity": "journey", "field": "title"}


@pytest.fixture
def client(site: Site) -> Iterator[Client]:
    with journeymap.Client("http://testserver", site.token, http=site.client) as made:
        yield made


def _refused(status: int, call: Any, /, *args: Any, **kwargs: Any) -> ClientError:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    assert caught.value.status == status, caught.value
    assert caught.value.body["status"] == status and caught.value.detail
    return caught.value


class Network:
    """The wire between the client and the real app, failing on purpose: for the first `lose`
    requests to a path ending in `suffix`, the answer is lost after the server did the work
    (or, with `reach=False`, the request never gets there). Records what was sent there."""

    def __init__(self, http: httpx.Client, suffix: str, lose: int = 1, reach: bool = True):
        self.http, self.suffix, self.lose, self.reach = http, suffix, lose, reach
        self.sent: list[Any] = []

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if method == "POST" and url.endswith(self.suffix):
            self.sent.append(kwargs.get("json"))
            if self.lose:
                self.lose -= 1
                if not self.reach:
                    raise httpx.ConnectError("connection refused")
                self.http.request(method, url, **kwargs)
                raise httpx.ReadError("connection reset by peer")
        return self.http.request(method, url, **kwargs)


def test_importing_the_client_loads_no_server_library() -> None:
    loaded = loaded_by(
        ["journeymap", "journeymap.client"],
        ["fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn"],
    )
    assert loaded == []


def test_me_and_tokens(site: Site, client: Client) -> None:
    me = client.me()
    assert isinstance(me, schemas.UserPublic)
    assert (me.email, me.is_admin) == ("ada@example.com", True)
    made = client.make_token("notebook")
    assert isinstance(made, schemas.TokenCreated) and made.token.startswith("jm_")
    listed = {t.id: t for t in client.tokens()}
    assert all(isinstance(t, schemas.TokenPublic) for t in listed.values())
    assert listed[made.id].name == "notebook" and made.token.startswith(listed[made.id].prefix)
    other = journeymap.Client("http://testserver", made.token, http=site.client)
    assert other.me().id == me.id
    client.revoke_token(made.id)
    assert {t.id: t for t in client.tokens()}[made.id].revoked_at is not None
    assert "revoked" in _refused(401, other.me).detail
    _refused(404, client.revoke_token, made.id)
    assert client.update_me("Ada L.").display_name == "Ada L." == client.me().display_name


def test_accounts_for_admins(site: Site, client: Client) -> None:
    made = client.add_user("bo@example.com", "Bo", "a long enough password")
    assert isinstance(made, schemas.UserPublic)
    assert (made.display_name, made.is_admin) == ("Bo", False)
    assert [u.email for u in client.users()] == ["ada@example.com", "bo@example.com"]
    assert (
        "already"
        in _refused(409, client.add_user, "bo@example.com", "Bo", "other long words").detail
    )
    weak = _refused(422, client.add_user, "cy@example.com", "Cy", "short")
    assert weak.detail.startswith("password:")
    not_admin = journeymap.Client(
        "http://testserver", site.user("eve@example.com", "viewer"), http=site.client
    )
    assert "admin" in _refused(403, not_admin.users).detail
    _refused(409, client.delete_user, client.me().id)  # not yourself
    client.delete_user(made.id)
    assert "bo@example.com" not in [u.email for u in client.users()]
    _refused(404, client.delete_user, made.id)


def test_workspaces_and_members(site: Site, client: Client) -> None:
    (home,) = client.workspaces()
    assert isinstance(home, schemas.WorkspacePublic) and home.role == "owner"
    team = client.create_workspace("Team")
    assert (team.name, team.role) == ("Team", "owner")
    assert client.workspace(team.id) == team
    assert {w.id for w in client.workspaces()} == {home.id, team.id}
    eve = journeymap.Client(
        "http://testserver", site.user("eve@example.com", None), http=site.client
    )
    invited = client.invite(team.id, "Eve@Example.com", "viewer")
    assert isinstance(invited, schemas.InvitationPublic) and invited.email == "eve@example.com"
    assert client.invitations(team.id) == [invited]
    assert [m.email for m in client.members(team.id)] == ["ada@example.com"]  # not yet
    (to_eve,) = eve.my_invitations()
    assert (to_eve.workspace_name, to_eve.role, to_eve.invited_by) == ("Team", "viewer", "Ada")
    assert eve.accept_invitation(to_eve.id).role == "viewer"
    assert client.invitations(team.id) == []
    added = next(m for m in client.members(team.id) if m.email == "eve@example.com")
    assert isinstance(added, schemas.MemberPublic) and added.role == "viewer"
    assert {m.email: m.role for m in client.members(team.id)} == {
        "ada@example.com": "owner",
        "eve@example.com": "viewer",
    }
    assert client.change_role(team.id, added.user_id, "editor").role == "editor"
    assert {m.email: m.role for m in client.members(team.id)}["eve@example.com"] == "editor"
    client.remove_member(team.id, added.user_id)
    assert [m.email for m in client.members(team.id)] == ["ada@example.com"]
    declined = client.invite(team.id, "eve@example.com", "editor")
    eve.decline_invitation(declined.id)
    _refused(404, eve.accept_invitation, declined.id)
    withdrawn = client.invite(team.id, "x@y.z", "viewer")  # no account: invited all the same
    client.withdraw_invitation(team.id, withdrawn.id)
    assert client.invitations(team.id) == []
    last_owner = _refused(409, client.change_role, team.id, client.me().id, "viewer")
    assert "make someone else owner" in last_owner.detail
    assert "name" in _refused(422, client.create_workspace, "").detail
    _refused(404, client.workspace, "no-such-workspace")
    renamed = client.rename_workspace(team, "Team A")
    assert renamed.name == "Team A" == client.workspace(team.id).name and renamed.etag != team.etag
    stale = _refused(412, client.rename_workspace, team, "Lost")  # `team` is out of date
    assert stale.body["current"]["name"] == "Team A"
    _refused(412, client.delete_workspace, team)
    client.delete_workspace(renamed)
    assert [w.id for w in client.workspaces()] == [home.id]


def test_the_library_its_filters_and_all_its_pages(site: Site, client: Client) -> None:
    ws = site.workspace
    made = [client.create(ws, framework="three-stage", title=f"Trip {n}").id for n in range(5)]
    client.apply(made[0], [SetOp(entity="journey", field="status", value="live")])
    client.apply(made[1], [{"kind": "set", "entity": "journey", "field": "owner", "value": "Ann"}])
    hannah = {"kind": "add", "entity": "persona", "value": {"name": "Hannah"}}
    client.apply(made[2], [hannah, {**TITLE, "value": "Trip 2, with Hannah"}])
    page = client.library(ws, limit=2)
    assert isinstance(page, schemas.Library) and (page.total, len(page.items)) == (5, 2)
    assert page.items[0].id == made[2]  # newest change first
    assert [j.id for j in client.library(ws, offset=4, limit=2).items] == [made[3]]
    client.page_size = 2  # three pages
    everything = client.journeys(ws)
    assert all(isinstance(j, schemas.JourneySummary) for j in everything)
    assert [j.id for j in everything] == [made[2], made[1], made[0], made[4], made[3]]
    assert [j.id for j in client.journeys(ws, "trip 3")] == [made[3]]
    assert [j.id for j in client.journeys(ws, status="live")] == [made[0]]
    assert [j.id for j in client.journeys(ws, owner="Ann")] == [made[1]]
    assert [j.id for j in client.journeys(ws, persona="Hannah")] == [made[2]]
    assert len(client.journeys(ws, stage="decision")) == 5
    assert client.journeys(ws, stage="checkout") == []
    assert [j.title for j in client.journeys(ws, sort="title")][:2] == ["Trip 0", "Trip 1"]
    assert [j.id for j in client.journeys(ws, sort="created")] == made[::-1]
    future = client.future_state(made[4])
    assert [j.id for j in client.journeys(ws, state="future")] == [future.id]
    assert client.library(ws, status="retired").total == 0
    assert "status" in _refused(422, client.library, ws, status="gone").detail
    _refused(422, client.library, ws, limit=500)


def test_the_persona_library(site: Site, client: Client) -> None:
    ws = site.workspace
    hannah = client.add_persona(ws, {"name": "Hannah", "segment": "Family car buyer"})
    assert isinstance(hannah, schemas.LibraryPersonaPublic) and hannah.id == "hannah"
    assert hannah.value["segment"] == "Family car buyer" and hannah.used_in == []
    assert "hannah" in _refused(409, client.add_persona, ws, {"id": "hannah", "name": "H"}).detail
    text = "format_version: 1\nid: car\ntitle: A car\npersonas: [hannah]\n"
    made = client.create(ws, text=text)
    assert [p.segment for p in made.journey.personas] == ["Family car buyer"]  # a copy
    assert [j.id for j in client.persona(ws, "hannah").used_in] == [made.id]
    changed = client.update_persona(ws, hannah, {"segment": None, "quote": "Known prices"})
    assert "segment" not in changed.value and changed.value["quote"] == "Known prices"
    assert _refused(412, client.update_persona, ws, hannah, {"quote": "x"}).body["current"]
    _refused(412, client.delete_persona, ws, hannah)
    client.delete_persona(ws, changed)
    assert client.personas(ws) == []
    assert client.journey(made.id).personas[0].segment == "Family car buyer"  # the journey's own
    _refused(404, client.persona, ws, "hannah")


def test_create_read_and_export(site: Site, client: Client) -> None:
    ws = site.workspace
    made = client.create(ws, template="online-store-checkout")
    assert isinstance(made, RemoteJourney) and isinstance(made.journey, Journey)
    assert (made.rev, made.etag, made.workspace_id) == (1, '"r1"', ws)
    assert made.journey.title == journeymap.new("online-store-checkout").title
    assert "<svg" in made._repr_mimebundle_()["image/svg+xml"]  # a poster in Jupyter
    assert "<svg" in client.journey(made.id)._repr_svg_()
    read = client.read(made.id)
    assert (read.id, read.rev, read.etag, read.journey) == (made.id, 1, '"r1"', made.journey)
    assert client.current_rev(made.id) == 1
    blank = client.create(ws, framework="see-think-do", title="Blank")
    assert [s.id for s in blank.journey.stages] == ["see", "think", "do", "grow", "give"]
    assert blank.journey.title == "Blank"
    copied = client.create(ws, journey=made.journey.model_copy(update={"id": "gift-2"}))
    assert copied.journey.id == "gift-2" and copied.journey.cards == made.journey.cards
    assert copied.id not in (made.id, "gift-2")  # the server names its journeys
    yaml_text = client.export(made.id)
    assert yaml_text.startswith("format_version: 1") and f"id: {made.journey.id}" in yaml_text
    as_json = json.loads(client.export(made.id, "json"))
    assert as_json["title"] == made.journey.title
    from_text = client.create(ws, text=yaml_text.replace(f"id: {made.journey.id}", "id: gift-3"))
    assert from_text.journey.stages == made.journey.stages
    unknown = _refused(422, client.create, ws, template="no-such-template")
    assert "journeymap templates" in unknown.detail
    broken = "format_version: 1\nid: x\ntitle: x\ncards: [{kind: nope}]\n"
    assert "cards[0].kind" in _refused(422, client.create, ws, text=broken).detail
    with pytest.raises(ValueError, match="not both"):
        client.create(ws, journey=made.journey, text=yaml_text)
    assert "no journey" in _refused(404, client.read, "no-such-journey").detail


def test_import_a_file(site: Site, client: Client, tmp_path: Path) -> None:
    ws = site.workspace
    path = tmp_path / "checkout.yaml"
    journeymap.save(journeymap.new("online-store-checkout"), path)
    made = client.import_file(ws, path)
    assert isinstance(made, RemoteJourney) and made.journey.id == "online-store-checkout"
    renamed = client.import_file(ws, path.read_bytes().replace(b"id: online", b"id: x-online"))
    assert renamed.journey.title == made.journey.title
    data = client.export(made.id, "json").replace('"online-store-checkout"', '"from-json"', 1)
    titled = client.import_file(ws, data.encode(), name="j.json", title="From JSON")
    assert (titled.journey.id, titled.journey.title) == ("from-json", "From JSON")
    broken = tmp_path / "bad.yaml"
    broken.write_text("format_version: 1\nid: x\ntitle: [\n")
    assert _refused(422, client.import_file, ws, broken).detail.startswith("bad.yaml:")


def test_apply_operations(site: Site, client: Client) -> None:
    jid = client.create(site.workspace, template="car-purchase").id
    done = client.apply(jid, [{**TITLE, "value": "Hannah's car"}])
    assert isinstance(done, schemas.OpsResult) and (done.rev, done.status) == (2, "applied")
    assert client.journey(jid).title == "Hannah's car"
    ids = ["mine-1", "mine-2"]
    ops = [SetOp(entity="journey", field="status", value="live"), {**TITLE, "value": "Again"}]
    both = client.apply(jid, ops, base_rev=2, op_ids=ids)
    assert [a.op_id for a in both.acks] == ids and both.rev == 3
    again = client.apply(jid, ops, base_rev=2, op_ids=ids)  # sent again: applied once
    assert (again.status, again.rev, client.current_rev(jid)) == ("duplicate", 3, 3)
    stale = client.apply(jid, [{**TITLE, "value": "Late"}], base_rev=2)
    assert stale.rev == 4  # based on r2: the title set in r3 is overwritten, and said so
    assert [(o.field, o.by_op_id) for o in stale.overwrites] == [("title", "mine-2")]
    with pytest.raises(ValueError, match="2 operations but 1 op_ids"):
        client.apply(jid, ops, op_ids=["one"])
    bad = {"kind": "set", "entity": "card", "id": "no-such-card", "field": "text", "value": "x"}
    assert "no-such-card" in _refused(422, client.apply, jid, [bad]).detail
    assert client.current_rev(jid) == 4  # nothing of a refused batch is written


def test_a_batch_whose_answer_is_lost_is_sent_again_with_its_op_ids(site: Site) -> None:
    lossy = Network(site.client, "/ops")
    client = journeymap.Client("http://testserver", site.token, http=lossy)
    jid = client.create(site.workspace, framework="three-stage").id
    done = client.apply(jid, [{**TITLE, "value": "Once"}], base_rev=1)
    first, retried = lossy.sent
    assert first == retried  # the same op_ids, the same base revision
    assert (done.status, done.rev) == ("duplicate", 2)  # the server had applied it
    assert [r.rev for r in client.history(jid).items] == [2, 1]
    unreached = Network(site.client, "/ops", reach=False)
    client = journeymap.Client("http://testserver", site.token, http=unreached)
    done = client.apply(jid, [{**TITLE, "value": "Twice"}])
    assert (done.status, done.rev) == ("applied", 3) and len(unreached.sent) == 2
    given_up = journeymap.Client(
        "http://testserver",
        site.token,
        http=Network(site.client, "/ops", reach=False),
        retries=0,
    )
    with pytest.raises(httpx.ConnectError):
        given_up.apply(jid, [{**TITLE, "value": "Never"}])
    assert client.journey(jid).title == "Twice"


def test_delete_needs_the_current_revision(site: Site, client: Client) -> None:
    jid = client.create(site.workspace, framework="three-stage").id
    client.apply(jid, [{**TITLE, "value": "Changed"}])
    stale = _refused(412, client.delete, jid, 1)
    assert '"r2"' in stale.detail and stale.body["current"] == {"rev": 2}
    assert client.journey(jid).title == "Changed"
    client.delete(jid, if_rev=2)
    _refused(404, client.read, jid)
    assert client.journeys(site.workspace) == []


def test_update_the_journeys_own_fields(site: Site, client: Client) -> None:
    made = client.create(site.workspace, framework="three-stage")
    done = client.update(made.id, made.rev, title="Renamed", status="researched", owner="Ann")
    assert (done.rev, done.journey.title, done.journey.owner) == (2, "Renamed", "Ann")
    assert done.etag == '"r2"'
    cleared = client.update(made.id, done.rev, owner=None)
    assert cleared.journey.owner is None and cleared.journey.title == "Renamed"
    stale = _refused(412, client.update, made.id, 1, title="Mine")
    assert stale.body["current"]["document"]["title"] == "Renamed"
    with pytest.raises(ValueError, match="status"):
        client.update(made.id, cleared.rev, status="done")  # refused before it is sent


def test_duplicate_and_future_state(site: Site, client: Client) -> None:
    source = client.create(site.workspace, template="car-purchase")
    copy = client.duplicate(source.id)
    assert isinstance(copy, RemoteJourney) and copy.id != source.id
    assert copy.journey.title == f"{source.journey.title} (copy)"
    assert copy.journey.cards == source.journey.cards
    team = client.create_workspace("Team")
    there = client.duplicate(source.id, title="Ours", workspace_id=team.id)
    assert (there.workspace_id, there.journey.title) == (team.id, "Ours")
    future = client.future_state(source.id)
    assert future.journey.state is State.future
    assert future.journey.current_journey == source.id
    assert "duplicate it instead" in _refused(422, client.future_state, future.id).detail


def test_history_revisions_diff_restore_and_versions(site: Site, client: Client) -> None:
    jid = client.create(site.workspace, framework="three-stage", title="First").id
    for title in ("Second", "Third"):
        client.apply(jid, [{**TITLE, "value": title}])
    history = client.history(jid)
    assert isinstance(history, schemas.HistoryPublic)
    assert [r.rev for r in history.items] == [3, 2, 1]
    assert history.items[0].actor_name == "Ada" and history.items[0].ops[0]["value"] == "Third"
    older = client.history(jid, limit=1)
    assert [r.rev for r in older.items] == [3] and older.next_before == 3
    assert [r.rev for r in client.history(jid, before=3).items] == [2, 1]
    then = client.revision(jid, 1)
    assert isinstance(then, Journey) and then.title == "First"
    assert "revisions 1 to 3" in _refused(404, client.revision, jid, 9).detail
    changes = client.diff(jid, 1)
    assert isinstance(changes, schemas.DiffPublic) and (changes.from_rev, changes.to_rev) == (1, 3)
    assert changes.changed and any("Third" in line for line in changes.summary)
    assert not client.diff(jid, 2, 2).changed
    restored = client.restore(jid, 1, if_rev=3)
    assert isinstance(restored, schemas.RestoreResult)
    assert (restored.rev, restored.restored, restored.status) == (4, 1, "applied")
    assert client.journey(jid).title == "First"
    assert _refused(412, client.restore, jid, 2, if_rev=3).body["current"] == {"rev": 4}
    assert client.restore(jid, 2, if_rev=4).rev == 5
    named = client.name_version(jid, "Workshop March", rev=2)
    assert isinstance(named, schemas.VersionPublic)
    assert (named.name, named.rev) == ("Workshop March", 2)
    assert client.name_version(jid, "Now").rev == 5
    assert [(v.name, v.rev) for v in client.versions(jid)] == [("Now", 5), ("Workshop March", 2)]
    _refused(409, client.name_version, jid, "Now")


def test_a_restore_whose_answer_is_lost_applies_once(site: Site) -> None:
    lossy = Network(site.client, "/restore")
    client = journeymap.Client("http://testserver", site.token, http=lossy)
    jid = client.create(site.workspace, framework="three-stage", title="First").id
    client.apply(jid, [{**TITLE, "value": "Second"}])
    done = client.restore(jid, 1, if_rev=2)  # its retry's If-Match "r2" is stale by then
    assert (done.rev, done.restored, done.status) == (3, 1, "duplicate")
    assert lossy.sent[0] == lossy.sent[1] and lossy.sent[0]["op_id"]
    assert [r.rev for r in client.history(jid).items] == [3, 2, 1]
    lossy.lose = 1
    done = client.restore(jid, 2, if_rev=3)
    assert (done.rev, done.status) == (4, "duplicate") and client.journey(jid).title == "Second"


def test_comments(site: Site, client: Client) -> None:
    made = client.create(site.workspace, template="online-store-checkout")
    jid, card = made.id, made.journey.cards[0].id
    first = client.add_comment(jid, "card", card, "Is this still true? @Ada")
    assert isinstance(first, schemas.CommentPublic) and first.author_name == "Ada"
    assert [m.display_name for m in first.mentions] == ["Ada"]
    answer = client.reply(jid, first, "Yes, measured last week")
    assert (answer.parent_id, answer.target_id) == (first.id, card)
    on_stage = client.add_comment(jid, "stage", "awareness", "Too long")
    assert [c.id for c in client.comments(jid)] == [first.id, answer.id, on_stage.id]
    assert [c.id for c in client.comments(jid, "stage", "awareness")] == [on_stage.id]
    edited = client.edit_comment(jid, first, "Is this still true?")
    assert edited.text == "Is this still true?" and edited.mentions == []
    stale = _refused(412, client.edit_comment, jid, first, "lost")  # `first` is out of date
    assert stale.body["current"]["text"] == "Is this still true?"
    resolved = client.resolve_comment(jid, edited)
    assert resolved.resolved_at is not None
    assert client.resolve_comment(jid, resolved, resolved=False).resolved_at is None
    _refused(412, client.delete_comment, jid, edited)
    client.delete_comment(jid, client.comments(jid, "stage", "awareness")[0])
    assert [c.id for c in client.comments(jid)] == [first.id, answer.id]
    assert "has no card" in _refused(422, client.add_comment, jid, "card", "nope", "x").detail


def test_share_links(site: Site, client: Client) -> None:
    jid = client.create(site.workspace, framework="three-stage").id
    link = client.make_share_link(jid, expires_in_days=7)
    assert isinstance(link, schemas.ShareLinkCreated) and link.url == f"/shared/{link.token}"
    assert link.expires_at is not None and link.token.startswith(link.prefix)
    forever = client.make_share_link(jid)
    assert forever.expires_at is None
    listed = client.share_links(jid)
    assert [s.id for s in listed] == [link.id, forever.id]
    assert all(isinstance(s, schemas.ShareLinkPublic) for s in listed)
    shared = {"X-Share-Token": link.token}
    assert site.client.get(f"/api/journeys/{jid}", headers=shared).status_code == 200
    client.revoke_share_link(jid, link.id)
    assert site.client.get(f"/api/journeys/{jid}", headers=shared).status_code == 401
    assert client.share_links(jid)[0].revoked_at is not None
    _refused(404, client.revoke_share_link, jid, link.id)


def test_evidence_and_posters(site: Site, client: Client) -> None:
    from journeymap.analytics.evidence import Evidence, EvidenceSet

    jid = client.create(site.workspace, framework="three-stage").id
    assert "journeymap analyze --save" in _refused(404, client.evidence, jid).detail
    measured = EvidenceSet(
        journey=jid,
        source="events.parquet",
        period=("2026-01-01", "2026-03-31"),
        computed_at="2026-04-01T00:00:00Z",
        query_hash="abc",
        items=[Evidence(metric="stage_customers", target="awareness", value=48213, n=48213)],
    )
    stored = client.put_evidence(jid, measured)
    assert isinstance(stored, schemas.EvidencePublic) and stored.updated_by == client.me().id
    assert EvidenceSet.model_validate(client.evidence(jid).data) == measured
    svg = client.poster(jid)
    assert svg.startswith(b"<svg") and b"48,213" in svg
    assert b"48,213" not in client.poster(jid, "svg", evidence=False)
    assert b"<svg" in client.poster(jid, "html")
    assert client.poster(jid, "png", scale=0.5).startswith(b"\x89PNG\r\n\x1a\n")
    assert client.poster(jid, "pdf").startswith(b"%PDF-")
    assert "scale" in _refused(422, client.poster, jid, "png", scale=50).detail
    assert "If-Match" in _refused(428, client.put_evidence, jid, evidence_data()).detail
    again = client.put_evidence(jid, evidence_data(), replacing=stored)
    assert again.data == evidence_data()
    stale = _refused(412, client.put_evidence, jid, measured, replacing=stored)
    assert stale.body["current"]["data"] == evidence_data()
    assert client.put_evidence(jid, measured, replacing="*").data == client.evidence(jid).data
    assert (
        "data.items"
        in _refused(422, client.put_evidence, jid, {**evidence_data(), "items": "x"}).detail
    )


def test_refusals_carry_the_problem(site: Site) -> None:
    nobody = journeymap.Client("http://testserver", "jm_not-a-token", http=site.client)
    error = _refused(401, nobody.workspaces)
    assert "unknown or revoked" in error.detail and error.title == "Not signed in"
    assert str(error) == f"401 {error.title}: {error.detail}"
    assert error.body["title"] == error.title
    viewer = journeymap.Client(
        "http://testserver", site.user("vic@example.com", "viewer"), http=site.client
    )
    too_low = _refused(403, viewer.create, site.workspace, framework="three-stage")
    assert "this needs an editor" in too_low.detail


def test_a_client_of_its_own_over_real_http(tmp_path: Path) -> None:
    from tests.live_server import running, sign_up

    with running(str(tmp_path / "live.db"), tmp_path / "data") as live:
        token, workspace = sign_up(live)
        with journeymap.Client(live.url + "/", token) as client:
            made = client.create(workspace, template="car-purchase")
            assert client.journeys(workspace)[0].id == made.id
        with pytest.raises(RuntimeError, match="closed"):
            client.me()
