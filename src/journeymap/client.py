"""`journeymap.Client`: the workspace server from notebooks and scripts.

    with journeymap.Client("https://maps.example.com", token="jm_...") as client:
        workspace = client.workspaces()[0].id
        made = client.create(workspace, template="online-store-checkout")
        made.journey                  # a Journey: in Jupyter it shows as its poster
        client.apply(made.id, [{"kind": "set", "entity": "journey", "field": "title",
                                "value": "Buying a gift"}])

Answers are the API's own pydantic models (`journeymap.server.schemas`, which need no server
libraries), validated as they arrive; a journey document comes back as a domain `Journey`,
checked by the same rules as a file. A refusal raises `ClientError` with the problem's detail.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel

from .domain.document import journey_from_data
from .domain.model import Journey
from .domain.wire import journey_from_document
from .files.journey_file import render_text
from .server.schemas import (
    CommentPublic,
    DiffPublic,
    EvidencePublic,
    HistoryPublic,
    InvitationPublic,
    InvitationToYou,
    JourneyPublic,
    JourneySummary,
    JourneyUpdate,
    Library,
    LibraryPersonaPublic,
    MemberPublic,
    OpsResult,
    RestoreResult,
    RevisionDocument,
    ShareLinkCreated,
    ShareLinkPublic,
    TokenCreated,
    TokenPublic,
    UserPublic,
    VersionPublic,
    WorkspacePublic,
)
from .server.schemas.comments import Kind
from .server.schemas.saved_views import SavedViewPublic
from .server.schemas.workspaces import Role
from .services.preconditions import etag  # the server's own ETag form

if TYPE_CHECKING:
    import httpx

M = TypeVar("M", bound=BaseModel)
Op = Mapping[str, Any] | BaseModel  # a plain operation, or a domain one (journeymap.domain)
Poster = Literal["svg", "png", "pdf", "html"]
Sort = Literal["updated", "created", "title"]
_RETRY_STATUS = (502, 503, 504)  # a gateway lost the answer: the request may have been applied
_RETRY_WAIT = 0.5  # seconds, times the attempt


class ClientError(RuntimeError):
    """The server said no: `status` and the problem's `detail` (what to do about it); `body` is
    the whole problem (a 412's holds the `current` representation)."""

    def __init__(self, status: int, title: str, detail: str, body: Any = None) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail, self.body = status, title, detail, body


@dataclass(frozen=True, repr=False)
class RemoteJourney:
    """A journey as the server holds it: the domain `journey` at revision `rev`, whose ETag
    (for If-Match) is `etag`. In Jupyter it shows as the journey's poster."""

    id: str
    workspace_id: str
    rev: int
    etag: str
    journey: Journey

    def __repr__(self) -> str:
        return f"RemoteJourney(id={self.id!r}, rev={self.rev}, title={self.journey.title!r})"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return self.journey._repr_mimebundle_(include, exclude)


class Client:
    """The REST API of one server, as the user whose personal API token it is given (POST
    /api/tokens makes one). Close it when done, or use it in a `with` block."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        http: httpx.Client | None = None,
        timeout: float = 30.0,
        retries: int = 2,
    ) -> None:
        """`http` replaces the HTTP client (e.g. a test client; it is not closed here).
        `retries`: how often a write that carries op_ids is sent again when its answer is lost
        (the op_ids make the server apply it once)."""
        import httpx

        self.url = url.rstrip("/")
        self.retries = retries
        self.page_size = 200  # journeys() reads the library in pages this long (the most)
        self._owned = http is None
        self._http = http if http is not None else httpx.Client(timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        if self._owned:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing
    def _send(
        self, method: str, path: str, *, retry: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """The answer, or ClientError. With `retry` (only for requests the server applies once
        however often they come, by their op_ids), a lost answer is asked for again."""
        import httpx

        headers = {**self._headers, **kwargs.pop("headers", {})}
        tries = 1 + (self.retries if retry else 0)
        for attempt in range(1, tries + 1):
            try:
                answer = self._http.request(method, self.url + path, headers=headers, **kwargs)
            except httpx.TransportError:
                if attempt == tries:
                    raise
            else:
                if answer.status_code not in _RETRY_STATUS or attempt == tries:
                    break
            time.sleep(_RETRY_WAIT * attempt)
        if answer.status_code >= 400:
            raise _refusal(answer)
        return answer

    def _one(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        return model.model_validate(self._send(method, path, **kwargs).json())

    def _many(self, model: type[M], method: str, path: str, **kwargs: Any) -> list[M]:
        return [model.model_validate(item) for item in self._send(method, path, **kwargs).json()]

    def _remote(self, answer: httpx.Response) -> RemoteJourney:
        public = JourneyPublic.model_validate(answer.json())
        return RemoteJourney(
            id=public.id,
            workspace_id=public.workspace_id,
            rev=public.rev,
            etag=answer.headers.get("etag") or etag(public.rev),
            journey=journey_from_document(public.document),
        )

    # ------------------------------------------------------------------ accounts and tokens
    def me(self) -> UserPublic:
        return self._one(UserPublic, "GET", "/api/me")

    def update_me(self, display_name: str) -> UserPublic:
        """Change your display name (what mentions and history show)."""
        return self._one(UserPublic, "PATCH", "/api/me", json={"display_name": display_name})

    def users(self) -> list[UserPublic]:
        """Every account on the server (admins only)."""
        return self._many(UserPublic, "GET", "/api/users")

    def add_user(
        self, email: str, display_name: str, password: str, *, is_admin: bool = False
    ) -> UserPublic:
        """A local account (admins only); an owner then adds it to a workspace by email."""
        body = {"email": email, "display_name": display_name, "password": password}
        return self._one(UserPublic, "POST", "/api/users", json={**body, "is_admin": is_admin})

    def delete_user(self, user_id: str) -> None:
        """Delete an account (admins only, not your own); its comments stay, authorless."""
        self._send("DELETE", f"/api/users/{user_id}")

    def tokens(self) -> list[TokenPublic]:
        """Your personal API tokens (their prefixes and last use, never the tokens)."""
        return self._many(TokenPublic, "GET", "/api/tokens")

    def make_token(self, name: str) -> TokenCreated:
        """A new personal API token; `.token` is shown this once."""
        return self._one(TokenCreated, "POST", "/api/tokens", json={"name": name})

    def revoke_token(self, token_id: str) -> None:
        self._send("DELETE", f"/api/tokens/{token_id}")

    # ------------------------------------------------------------------ workspaces
    def workspaces(self) -> list[WorkspacePublic]:
        """The workspaces you are a member of, with your role in each."""
        return self._many(WorkspacePublic, "GET", "/api/workspaces")

    def workspace(self, workspace_id: str) -> WorkspacePublic:
        return self._one(WorkspacePublic, "GET", f"/api/workspaces/{workspace_id}")

    def create_workspace(self, name: str) -> WorkspacePublic:
        """A new workspace; you are its owner."""
        return self._one(WorkspacePublic, "POST", "/api/workspaces", json={"name": name})

    def rename_workspace(self, workspace: WorkspacePublic, name: str) -> WorkspacePublic:
        """Rename it (owners), if it is still as you read it (412 otherwise)."""
        path, match = f"/api/workspaces/{workspace.id}", {"If-Match": workspace.etag}
        return self._one(WorkspacePublic, "PATCH", path, json={"name": name}, headers=match)

    def delete_workspace(self, workspace: WorkspacePublic) -> None:
        """Delete it for good, with its journeys and their history (owners), if it is still as
        you read it (412 otherwise). Only a backup brings it back."""
        self._send(
            "DELETE", f"/api/workspaces/{workspace.id}", headers={"If-Match": workspace.etag}
        )

    def members(self, workspace_id: str) -> list[MemberPublic]:
        return self._many(MemberPublic, "GET", f"/api/workspaces/{workspace_id}/members")

    def invite(self, workspace_id: str, email: str, role: Role) -> InvitationPublic:
        """Invite an email with a role (owners only); they join when they accept it."""
        body = {"email": email, "role": role}
        path = f"/api/workspaces/{workspace_id}/invitations"
        return self._one(InvitationPublic, "POST", path, json=body)

    def invitations(self, workspace_id: str) -> list[InvitationPublic]:
        """The workspace's invitations waiting for an answer (emails, never names)."""
        path = f"/api/workspaces/{workspace_id}/invitations"
        return self._many(InvitationPublic, "GET", path)

    def withdraw_invitation(self, workspace_id: str, invitation_id: str) -> None:
        """Take an invitation back (owners only)."""
        self._send("DELETE", f"/api/workspaces/{workspace_id}/invitations/{invitation_id}")

    def my_invitations(self) -> list[InvitationToYou]:
        """Invitations to your email."""
        return self._many(InvitationToYou, "GET", "/api/invitations")

    def accept_invitation(self, invitation_id: str) -> WorkspacePublic:
        """Join the workspace it is to, with its role."""
        path = f"/api/invitations/{invitation_id}/accept"
        return self._one(WorkspacePublic, "POST", path)

    def decline_invitation(self, invitation_id: str) -> None:
        self._send("POST", f"/api/invitations/{invitation_id}/decline")

    def change_role(self, workspace_id: str, user_id: str, role: Role) -> MemberPublic:
        """Owners only; a workspace always keeps an owner (409 otherwise)."""
        path = f"/api/workspaces/{workspace_id}/members/{user_id}"
        return self._one(MemberPublic, "PATCH", path, json={"role": role})

    def remove_member(self, workspace_id: str, user_id: str) -> None:
        """Owners only, or yourself, to leave."""
        self._send("DELETE", f"/api/workspaces/{workspace_id}/members/{user_id}")

    # ------------------------------------------------------------------ the persona library
    def personas(self, workspace_id: str) -> list[LibraryPersonaPublic]:
        """The personas the team agreed on, each with the journeys that have it."""
        return self._many(LibraryPersonaPublic, "GET", f"/api/workspaces/{workspace_id}/personas")

    def persona(self, workspace_id: str, persona_id: str) -> LibraryPersonaPublic:
        path = f"/api/workspaces/{workspace_id}/personas/{persona_id}"
        return self._one(LibraryPersonaPublic, "GET", path)

    def add_persona(self, workspace_id: str, fields: Mapping[str, Any]) -> LibraryPersonaPublic:
        """A persona for the library (editors): its fields as a journey file holds them (an
        id, or one is made from the name). A journey naming it by id alone takes a copy."""
        path = f"/api/workspaces/{workspace_id}/personas"
        return self._one(LibraryPersonaPublic, "POST", path, json=dict(fields))

    def update_persona(
        self, workspace_id: str, persona: LibraryPersonaPublic, fields: Mapping[str, Any]
    ) -> LibraryPersonaPublic:
        """Change some fields (None clears one), if it is still as you read it (412 if not)."""
        path, match = f"/api/workspaces/{workspace_id}/personas/{persona.id}", persona.etag
        return self._one(
            LibraryPersonaPublic, "PATCH", path, json=dict(fields), headers={"If-Match": match}
        )

    def delete_persona(self, workspace_id: str, persona: LibraryPersonaPublic) -> None:
        """Take it out of the library, if it is still as you read it; journeys keep theirs."""
        path = f"/api/workspaces/{workspace_id}/personas/{persona.id}"
        self._send("DELETE", path, headers={"If-Match": persona.etag})

    # ------------------------------------------------------------------ saved views
    def views(self, journey_id: str) -> list[SavedViewPublic]:
        """Your views of the journey and those shared with its team."""
        return self._many(SavedViewPublic, "GET", f"/api/journeys/{journey_id}/views")

    def save_view(
        self,
        journey_id: str,
        name: str,
        settings: Mapping[str, Any] | None = None,
        *,
        shared: bool = False,
    ) -> SavedViewPublic:
        """A view of the journey: `settings` holds hidden_sections, hidden_lanes, channels,
        teams, personas and zoom. Yours, or shared with the team (editors)."""
        body = {"name": name, "shared": shared, "settings": dict(settings or {})}
        return self._one(SavedViewPublic, "POST", f"/api/journeys/{journey_id}/views", json=body)

    def update_view(
        self,
        view: SavedViewPublic,
        *,
        name: str | None = None,
        settings: Mapping[str, Any] | None = None,
        shared: bool | None = None,
    ) -> SavedViewPublic:
        """Change your view (what is not given stays), if it is still as you read it."""
        body = {
            "name": view.name if name is None else name,
            "shared": view.shared if shared is None else shared,
            "settings": view.settings.model_dump() if settings is None else dict(settings),
        }
        path = f"/api/journeys/{view.journey_id}/views/{view.id}"
        return self._one(SavedViewPublic, "PUT", path, json=body, headers={"If-Match": view.etag})

    def delete_view(self, view: SavedViewPublic) -> None:
        """Delete your view (or, as a workspace owner, a shared one), if still as you read it."""
        path = f"/api/journeys/{view.journey_id}/views/{view.id}"
        self._send("DELETE", path, headers={"If-Match": view.etag})

    # ------------------------------------------------------------------ the journey library
    def library(
        self,
        workspace_id: str,
        q: str | None = None,
        *,
        persona: str | None = None,
        stage: str | None = None,
        status: str | None = None,
        state: str | None = None,
        owner: str | None = None,
        sort: Sort = "updated",
        offset: int = 0,
        limit: int = 50,
    ) -> Library:
        """One page of the workspace's journeys, newest change first (or `sort` by creation or
        title): those with every word of `q` somewhere on the map, and the persona, stage (an
        id or name), status (draft, researched, live, retired), state (current, future) and
        owner asked for. `total` counts every match."""
        asked = {"q": q, "persona": persona, "stage": stage, "status": status, "state": state}
        params = {**asked, "owner": owner, "sort": sort, "offset": offset, "limit": limit}
        sent = {k: v for k, v in params.items() if v is not None}
        return self._one(Library, "GET", f"/api/workspaces/{workspace_id}/journeys", params=sent)

    def journeys(
        self,
        workspace_id: str,
        q: str | None = None,
        *,
        persona: str | None = None,
        stage: str | None = None,
        status: str | None = None,
        state: str | None = None,
        owner: str | None = None,
        sort: Sort = "updated",
    ) -> list[JourneySummary]:
        """Every page of the library, with the same filters."""
        items: list[JourneySummary] = []
        while True:
            page = self.library(
                workspace_id,
                q,
                persona=persona,
                stage=stage,
                status=status,
                state=state,
                owner=owner,
                sort=sort,
                offset=len(items),
                limit=self.page_size,
            )
            items += page.items
            if len(items) >= page.total or not page.items:
                return items

    # ------------------------------------------------------------------ one journey
    def journey(self, journey_id: str) -> Journey:
        """The journey now, as a domain object (in Jupyter it shows as its poster)."""
        return self.read(journey_id).journey

    def read(self, journey_id: str) -> RemoteJourney:
        """The journey now with its revision and ETag, to edit or delete it safely."""
        return self._remote(self._send("GET", f"/api/journeys/{journey_id}"))

    def current_rev(self, journey_id: str) -> int:
        return self.read(journey_id).rev

    def create(
        self,
        workspace_id: str,
        *,
        template: str | None = None,
        framework: str | None = None,
        journey: Journey | None = None,
        text: str | None = None,
        title: str | None = None,
    ) -> RemoteJourney:
        """A new journey from a template, a stage framework, a Journey object, or a journey
        file's text (YAML or JSON); `title` renames it."""
        if journey is not None and text is not None:
            raise ValueError("give a journey or the text of a journey file, not both")
        if journey is not None:
            text = render_text(journey, as_json=True)
        body = {"template": template, "framework": framework, "title": title, "document": text}
        sent = {k: v for k, v in body.items() if v is not None}
        return self._remote(
            self._send("POST", f"/api/workspaces/{workspace_id}/journeys", json=sent)
        )

    def import_file(
        self,
        workspace_id: str,
        file: str | Path | bytes,
        *,
        name: str = "journey.yaml",
        title: str | None = None,
    ) -> RemoteJourney:
        """Import a journey file (a path, or its bytes named `name`) as a new journey; every
        problem in it comes back in the ClientError, with its line and column."""
        if isinstance(file, str | Path):
            name, data = Path(file).name, Path(file).read_bytes()
        else:
            data = file
        path = f"/api/workspaces/{workspace_id}/journeys/import"
        params = {} if title is None else {"title": title}
        files = {"file": (name, data, "application/octet-stream")}
        return self._remote(self._send("POST", path, files=files, params=params))

    def export(self, journey_id: str, format: Literal["yaml", "json"] = "yaml") -> str:
        """The journey file's text, ready to commit to git."""
        path = f"/api/journeys/{journey_id}/export"
        return self._send("GET", path, params={"format": format}).text

    def apply(
        self,
        journey_id: str,
        ops: Sequence[Op],
        base_rev: int | None = None,
        *,
        op_ids: Sequence[str] | None = None,
    ) -> OpsResult:
        """Apply edit operations as one new revision, all or none. Each gets an op_id (yours,
        or made here) that stays the same when a lost answer makes the batch go again, so it
        is applied once. `base_rev`: the revision your change is based on (the current one by
        default); fields others changed since are overwritten and listed in `overwrites`."""
        ids = list(op_ids) if op_ids is not None else [uuid.uuid4().hex for _ in ops]
        if len(ids) != len(ops):
            raise ValueError(f"{len(ops)} operations but {len(ids)} op_ids")
        base = self.current_rev(journey_id) if base_rev is None else base_rev
        batch = {
            "base_rev": base,
            "ops": [{"op_id": i, "op": _op_data(op)} for i, op in zip(ids, ops, strict=True)],
        }
        path = f"/api/journeys/{journey_id}/ops"
        return self._one(OpsResult, "POST", path, json=batch, retry=True)

    def update(self, journey_id: str, if_rev: int, **fields: Any) -> RemoteJourney:
        """Change the journey's own fields (title, status, owner, review_by, ...; None clears
        one). `if_rev` is the revision you read: 412 if the journey's own fields changed
        since (edits to its stages and cards do not count)."""
        body = JourneyUpdate.model_validate(fields).model_dump(mode="json", exclude_unset=True)
        path = f"/api/journeys/{journey_id}"
        return self._remote(self._send("PATCH", path, json=body, headers=_if_match(if_rev)))

    def delete(self, journey_id: str, if_rev: int) -> None:
        """Delete the journey if it is still at revision `if_rev` (412 if someone changed it
        since). Its history is kept."""
        self._send("DELETE", f"/api/journeys/{journey_id}", headers=_if_match(if_rev))

    def duplicate(
        self, journey_id: str, *, title: str | None = None, workspace_id: str | None = None
    ) -> RemoteJourney:
        """A copy, titled '... (copy)' unless `title`, here or in another workspace of yours."""
        return self._copy(journey_id, "duplicate", title, workspace_id)

    def future_state(
        self, journey_id: str, *, title: str | None = None, workspace_id: str | None = None
    ) -> RemoteJourney:
        """A draft future-state map linked to this current one, to design the improvement."""
        return self._copy(journey_id, "future-state", title, workspace_id)

    def _copy(
        self, journey_id: str, how: str, title: str | None, workspace_id: str | None
    ) -> RemoteJourney:
        body = {"title": title, "workspace_id": workspace_id}
        sent = {k: v for k, v in body.items() if v is not None}
        return self._remote(self._send("POST", f"/api/journeys/{journey_id}/{how}", json=sent))

    # ------------------------------------------------------------------ history
    def history(
        self, journey_id: str, *, before: int | None = None, limit: int = 50
    ) -> HistoryPublic:
        """A page of revisions, newest first; pass `.next_before` as `before` for older ones."""
        params = {"limit": limit} if before is None else {"limit": limit, "before": before}
        return self._one(HistoryPublic, "GET", f"/api/journeys/{journey_id}/history", params=params)

    def revision(self, journey_id: str, rev: int) -> Journey:
        """The journey as it was right after revision `rev`."""
        path = f"/api/journeys/{journey_id}/revisions/{rev}"
        return journey_from_data(self._one(RevisionDocument, "GET", path).document)

    def diff(self, journey_id: str, from_rev: int, to_rev: int | None = None) -> DiffPublic:
        """What changed from `from_rev` to `to_rev` (the current revision by default)."""
        params = {"from": from_rev} if to_rev is None else {"from": from_rev, "to": to_rev}
        return self._one(DiffPublic, "GET", f"/api/journeys/{journey_id}/diff", params=params)

    def restore(self, journey_id: str, rev: int, *, if_rev: int) -> RestoreResult:
        """Bring back revision `rev` as a new revision (nothing is lost), if the journey is
        still at revision `if_rev` (412 otherwise). Safe to retry: it carries an op_id, kept
        when a lost answer makes it go again, and the server answers the retry `duplicate`."""
        body = {"rev": rev, "op_id": f"restore-{uuid.uuid4().hex}"}
        path, match = f"/api/journeys/{journey_id}/restore", _if_match(if_rev)
        return self._one(RestoreResult, "POST", path, json=body, headers=match, retry=True)

    def versions(self, journey_id: str) -> list[VersionPublic]:
        """The journey's named versions, the latest revision first."""
        return self._many(VersionPublic, "GET", f"/api/journeys/{journey_id}/versions")

    def name_version(self, journey_id: str, name: str, rev: int | None = None) -> VersionPublic:
        """Name a revision (the current one by default), e.g. "Workshop March"."""
        body = {"name": name} if rev is None else {"name": name, "rev": rev}
        return self._one(VersionPublic, "POST", f"/api/journeys/{journey_id}/versions", json=body)

    # ------------------------------------------------------------------ comments
    def comments(
        self, journey_id: str, target_kind: Kind | None = None, target_id: str | None = None
    ) -> list[CommentPublic]:
        """The journey's comments, oldest first (replies after their parent), or one card's or
        stage's."""
        params = {"target_kind": target_kind, "target_id": target_id}
        found = {k: v for k, v in params.items() if v is not None}
        return self._many(
            CommentPublic, "GET", f"/api/journeys/{journey_id}/comments", params=found
        )

    def add_comment(
        self, journey_id: str, target_kind: Kind, target_id: str, text: str
    ) -> CommentPublic:
        """A comment on a card or a stage; `@email` or `@display name` mentions a member."""
        body = {"target_kind": target_kind, "target_id": target_id, "text": text}
        return self._one(CommentPublic, "POST", f"/api/journeys/{journey_id}/comments", json=body)

    def reply(self, journey_id: str, parent: CommentPublic | int, text: str) -> CommentPublic:
        parent_id = parent.id if isinstance(parent, CommentPublic) else parent
        body = {"parent_id": parent_id, "text": text}
        return self._one(CommentPublic, "POST", f"/api/journeys/{journey_id}/comments", json=body)

    def edit_comment(self, journey_id: str, comment: CommentPublic, text: str) -> CommentPublic:
        """Change your comment's text, if it is still as you read it (412 otherwise)."""
        return self._change_comment(journey_id, comment, {"text": text})

    def resolve_comment(
        self, journey_id: str, comment: CommentPublic, resolved: bool = True
    ) -> CommentPublic:
        """Mark the comment resolved (or, with `resolved=False`, open again)."""
        return self._change_comment(journey_id, comment, {"resolved": resolved})

    def delete_comment(self, journey_id: str, comment: CommentPublic) -> None:
        """Delete it (its author, or an owner), if it is still as you read it; replies stay."""
        path = f"/api/journeys/{journey_id}/comments/{comment.id}"
        self._send("DELETE", path, headers={"If-Match": comment.etag})

    def _change_comment(
        self, journey_id: str, comment: CommentPublic, body: dict[str, Any]
    ) -> CommentPublic:
        path = f"/api/journeys/{journey_id}/comments/{comment.id}"
        return self._one(
            CommentPublic, "PATCH", path, json=body, headers={"If-Match": comment.etag}
        )

    # ------------------------------------------------------------------ share links
    def make_share_link(
        self, journey_id: str, expires_in_days: int | None = None
    ) -> ShareLinkCreated:
        """A read-only link to the journey; `.token` and `.url` are shown this once."""
        body = {} if expires_in_days is None else {"expires_in_days": expires_in_days}
        path = f"/api/journeys/{journey_id}/share-links"
        return self._one(ShareLinkCreated, "POST", path, json=body)

    def share_links(self, journey_id: str) -> list[ShareLinkPublic]:
        """The journey's share links, revoked ones included (never their tokens)."""
        return self._many(ShareLinkPublic, "GET", f"/api/journeys/{journey_id}/share-links")

    def revoke_share_link(self, journey_id: str, link_id: str) -> None:
        self._send("DELETE", f"/api/journeys/{journey_id}/share-links/{link_id}")

    # ------------------------------------------------------------------ evidence and posters
    def evidence(self, journey_id: str) -> EvidencePublic:
        """The journey's measured figures (404 until some are stored)."""
        return self._one(EvidencePublic, "GET", f"/api/journeys/{journey_id}/evidence")

    def put_evidence(
        self,
        journey_id: str,
        data: Mapping[str, Any] | BaseModel,
        *,
        replacing: EvidencePublic | Literal["*"] | None = None,
    ) -> EvidencePublic:
        """Store the journey's evidence: an evidence file's content, or an EvidenceSet. The
        first needs nothing more; to replace evidence, pass the evidence you read (a 412 if
        someone replaced it since) or "*" to replace whatever is there."""
        content = data.model_dump(mode="json") if isinstance(data, BaseModel) else dict(data)
        path = f"/api/journeys/{journey_id}/evidence"
        headers = {}
        if replacing is not None:
            headers["If-Match"] = replacing if isinstance(replacing, str) else replacing.etag
        return self._one(EvidencePublic, "PUT", path, json={"data": content}, headers=headers)

    def poster(
        self, journey_id: str, format: Poster = "svg", *, scale: float = 1.0, evidence: bool = True
    ) -> bytes:
        """The journey drawn as a poster (with its evidence, unless `evidence=False`)."""
        params = {"scale": scale, "evidence": evidence}
        return self._send(
            "GET", f"/api/journeys/{journey_id}/render.{format}", params=params
        ).content


def _refusal(answer: httpx.Response) -> ClientError:
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"title": answer.reason_phrase, "detail": answer.text[:500]}
    return ClientError(
        answer.status_code, str(body.get("title", "")), str(body.get("detail", "")), body
    )


def _op_data(op: Op) -> dict[str, Any]:
    if isinstance(op, BaseModel):
        data: dict[str, Any] = op.model_dump(mode="json", exclude_none=True)
        return data
    return dict(op)


def _if_match(rev: int) -> dict[str, str]:
    return {"If-Match": etag(rev)}
