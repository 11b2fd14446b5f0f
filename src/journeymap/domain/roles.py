"""The roles a member holds in a workspace, declared once: from the least to the most they may
do. Who may do what with them is services/policy.py's."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["viewer", "commenter", "editor", "owner"]
ROLES: tuple[Role, ...] = get_args(Role)  # least first: a viewer reads, an owner does it all
RANK: dict[str, int] = {role: n for n, role in enumerate(ROLES)}
