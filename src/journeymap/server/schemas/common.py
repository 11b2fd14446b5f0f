"""Bounds every schema shares."""

from __future__ import annotations

# The largest whole number a client may send: what a JavaScript number holds exactly, and far
# inside a 64-bit database column (a larger one would fail in SQL, as a 500).
MAX_INT = 2**53 - 1
