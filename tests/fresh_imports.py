"""What importing some of journeymap loads, seen in a fresh interpreter (this one has loaded
everything the other tests use)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable


def loaded_by(
    modules: Iterable[str], packages: Iterable[str], prefixes: Iterable[str] = ()
) -> list[str]:
    """The loaded modules, after importing `modules`, that belong to one of `packages` (top-level
    names) or start with one of `prefixes`."""
    code = (
        f"import sys, json; import {', '.join(modules)}; "
        f"tops, starts = {sorted(packages)!r}, {tuple(prefixes)!r}; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in tops or m.startswith(starts))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(result.stdout)
    return found
