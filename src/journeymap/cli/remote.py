"""A journey in the workspace server, as a CLI command reaches it: `--server URL`, the journey's
id for JOURNEY, the personal API token from JOURNEYMAP_TOKEN (never an option: it would stay in
the shell's history)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .output import fail

if TYPE_CHECKING:
    from ..client import Client, RemoteJourney

TOKEN_VARIABLE = "JOURNEYMAP_TOKEN"


def server_client(url: str) -> Client:
    from ..client import Client

    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise fail(
            f"--server needs your API token in {TOKEN_VARIABLE} "
            "(make one with journeymap token create, or POST /api/tokens)"
        )
    return Client(url, token)


def read_remote(client: Client, journey_id: str) -> RemoteJourney:
    from ..client import ClientError

    try:
        return client.read(journey_id)
    except ClientError as error:
        raise fail(f"{client.url}: journey {journey_id}: {error}") from None
    except OSError as error:  # httpx's transport errors are OSErrors underneath
        raise fail(f"{client.url}: {error}") from None


def apply_remote(client: Client, remote: RemoteJourney, ops: Sequence[Any]) -> list[str]:
    """The operations as one revision on the server, based on the revision read (fields
    another person changed since are theirs to keep: the server lists overwrites); returns the
    ids of the cards they made."""
    import httpx

    from ..client import ClientError

    try:
        client.apply(remote.id, ops, base_rev=remote.rev)
        now = client.journey(remote.id)
    except ClientError as error:
        raise fail(f"{client.url}: journey {remote.id}: {error}") from None
    except httpx.HTTPError as error:
        raise fail(f"{client.url}: {error}") from None
    before = {c.id for c in remote.journey.cards}
    return [c.id for c in now.cards if c.id not in before]
