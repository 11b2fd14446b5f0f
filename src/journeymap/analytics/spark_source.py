"""Spark sources stay in Spark (placeholder, filled in next)."""

from __future__ import annotations

from typing import Any


def open_spark_source(spec: Any, session: Any = None) -> Any:
    raise NotImplementedError
