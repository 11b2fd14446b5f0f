"""The docs say what the code does: the README's commands, the channel table, every command."""

from __future__ import annotations

from pathlib import Path

from journeymap.cli.app import app
from journeymap.domain.channels import BUILTIN_CHANNELS

ROOT = Path(__file__).parents[1]


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text().split("## A five-minute tour")[0]
    assert "make demo" in head and "make test" in head


def test_channel_table_matches_the_built_in_channels() -> None:
    doc = (ROOT / "docs" / "journey-format.md").read_text()
    for c in BUILTIN_CHANNELS:
        row = f"| `{c.id}` | {c.name} | {c.mode.value} | {', '.join(c.aliases)} |"
        assert row in doc, f"docs/journey-format.md lacks or misstates channel {c.id}"


def test_every_command_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names and all(f"journeymap {name}" in doc for name in names)
