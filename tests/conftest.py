"""Shared fixtures: the shipped templates and a small journey written out by hand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from journeymap.domain.model import Journey
from journeymap.files.journey_file import journey_from_text
from journeymap.services.templates import template_names, template_text

from .samples import SMALL

pytest_plugins = ["tests.pg_server"]  # a throwaway PostgreSQL server: pg_server, pg_database

# In CI the property and fuzz tests replay the same examples every run, so a red build is never
# luck; run locally they explore new inputs each time (and a failure becomes a fixed case).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def small_text() -> str:
    return SMALL


@pytest.fixture
def small() -> Journey:
    return journey_from_text(SMALL, "small.yaml")


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture(params=template_names())
def template(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(name, text) of each shipped template."""
    return request.param, template_text(request.param)
