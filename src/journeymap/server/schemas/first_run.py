"""What the first run's set-up and the app's start ask and answer."""

from __future__ import annotations

from pydantic import Field

from .accounts import Setup


class SetupWithCode(Setup):
    setup_code: str = Field(
        min_length=1,
        max_length=100,
        description="the one-time code `journeymap serve` printed when the database had no account",
    )
