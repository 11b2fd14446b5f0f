"""The REST API's request and answer models, in pydantic only (no FastAPI, Starlette or
SQLAlchemy), so that `journeymap.Client` validates answers with them without the server's
dependencies. One module per resource; the routes import their models from here."""

from __future__ import annotations

from .accounts import (
    Login,
    PasswordChange,
    ProfileUpdate,
    SessionPublic,
    Setup,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from .comments import CommentCreate, CommentPublic, CommentUpdate, MentionPublic
from .copies import CopyRequest
from .entities import EntityList, EntityPublic
from .evidence import EvidenceIn, EvidencePublic
from .history import (
    DiffPublic,
    HistoryPublic,
    RestoreIn,
    RestoreResult,
    RevisionDocument,
    RevisionPublic,
    VersionIn,
    VersionPublic,
)
from .invitations import InvitationCreate, InvitationPublic, InvitationToYou
from .journeys import (
    AckPublic,
    JourneyCreate,
    JourneyPublic,
    JourneySummary,
    JourneyUpdate,
    Library,
    OpItem,
    OpsBatch,
    OpsRefused,
    OpsResult,
    OverwritePublic,
)
from .personas import JourneyRef, LibraryPersonaPublic
from .shares import ShareLinkCreate, ShareLinkCreated, ShareLinkPublic
from .workspaces import (
    MemberPublic,
    MemberUpdate,
    WorkspaceCreate,
    WorkspacePublic,
    WorkspaceUpdate,
)

__all__ = [
    "AckPublic",
    "CommentCreate",
    "CommentPublic",
    "CommentUpdate",
    "CopyRequest",
    "DiffPublic",
    "EntityList",
    "EntityPublic",
    "EvidenceIn",
    "EvidencePublic",
    "HistoryPublic",
    "InvitationCreate",
    "InvitationPublic",
    "InvitationToYou",
    "JourneyCreate",
    "JourneyPublic",
    "JourneyRef",
    "JourneySummary",
    "JourneyUpdate",
    "Library",
    "LibraryPersonaPublic",
    "Login",
    "MemberPublic",
    "MemberUpdate",
    "MentionPublic",
    "OpItem",
    "OpsBatch",
    "OpsRefused",
    "OpsResult",
    "OverwritePublic",
    "PasswordChange",
    "ProfileUpdate",
    "RestoreIn",
    "RestoreResult",
    "RevisionDocument",
    "RevisionPublic",
    "SessionPublic",
    "Setup",
    "ShareLinkCreate",
    "ShareLinkCreated",
    "ShareLinkPublic",
    "TokenCreate",
    "TokenCreated",
    "TokenPublic",
    "UserCreate",
    "UserPublic",
    "VersionIn",
    "VersionPublic",
    "WorkspaceCreate",
    "WorkspacePublic",
    "WorkspaceUpdate",
]
