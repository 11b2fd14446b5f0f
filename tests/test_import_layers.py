"""The layering, enforced: dependencies point inward, no module-level import circles, routes
reach storage only through services, and our own imports sit at the top of each module unless
a measured start-up cost keeps them in a function. tests/import_graph.py reads the graph from
the source; `.venv/bin/python -m tests.import_graph` prints it."""

from __future__ import annotations

import re
from fnmatch import fnmatch

from tests.import_graph import SRC, Import, cycles, imports, modules

# Inner to outer. A module may import its own layer and the layers inside it, never outward.
LAYERS = (
    ("domain", ("journeymap.domain", "journeymap.units", "journeymap.per_pool")),
    (
        "infrastructure",
        (
            "journeymap.files",
            "journeymap.storage",
            "journeymap.render",
            "journeymap.analytics",
            "journeymap.templates",
        ),
    ),
    ("services", ("journeymap.services",)),
    ("faces", ("journeymap.server", "journeymap.cli", "journeymap.notebook", "journeymap.client")),
)
# Where an import of our own inside a function is allowed, and the measured reason.
LAZY_ALLOWED = {
    "journeymap": "`import journeymap` loads no YAML, HTTP or drawing library (22 ms; "
    "tests/domain/test_layering.py)",
    "journeymap.cli.*": "cli/app.py registers every command module, so whatever they import "
    "at the top every command pays for: SQLAlchemy alone is 0.8 s of `journeymap --version`",
    # `journeymap analyze` loads only what its plan uses: Ibis (a second), DuckDB, Spark and
    # the evidence models are imported where the path needs them (bench/startup.py).
    "journeymap.analytics.*": "analyze's start-up: each backend only on its own path",
    "journeymap.services.analysis": "analyze's start-up: each backend only on its own path",
    "journeymap.services.feedback": "feedback's start-up: scikit-learn, VADER and DuckDB only "
    "on the path that needs them",
}


def _layer(module: str) -> int:
    if module == "journeymap":
        return len(LAYERS) - 1  # the package's own API (load, save, Client) is a face
    for n, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return n
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _shown(found: list[Import]) -> list[str]:
    return sorted(f"{e.source}:{e.line} -> {e.target} ({e.how})" for e in found)


def test_every_module_has_a_layer() -> None:
    for module in modules():
        _layer(module)


def test_dependencies_point_inward() -> None:
    outward = [e for e in imports() if _layer(e.target) > _layer(e.source)]
    assert _shown(outward) == []


def test_no_import_circles_at_module_level() -> None:
    assert cycles(e for e in imports() if e.how == "top") == []


def test_the_graph_reader_finds_circles() -> None:
    """The check above can fail: a circle is found, and an import of one's own package is not
    taken for one."""
    ring = [
        Import("journeymap.a", "journeymap.b", "top", 1),
        Import("journeymap.b", "journeymap.c", "top", 1),
        Import("journeymap.c", "journeymap.a", "top", 1),
        Import("journeymap.d.e", "journeymap.d", "top", 1),
        Import("journeymap.d", "journeymap.d.e", "top", 1),
    ]
    assert cycles(ring) == [["journeymap.a", "journeymap.b", "journeymap.c"]]


def test_routes_reach_storage_only_through_services() -> None:
    routes = SRC / "journeymap" / "server" / "routes"
    storage = [e for e in imports() if e.source.startswith("journeymap.server.routes")]
    assert _shown([e for e in storage if e.target.startswith("journeymap.storage")]) == []
    state = [
        f"{path.name}:{n}"
        for path in sorted(routes.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bapp\.state\b|\.state\.db\b", line)
    ]
    assert state == []


def test_our_imports_sit_at_the_top_unless_start_up_says_otherwise() -> None:
    lazy = [
        e
        for e in imports()
        if e.how == "lazy" and not any(fnmatch(e.source, allowed) for allowed in LAZY_ALLOWED)
    ]
    assert _shown(lazy) == []
    for allowed in LAZY_ALLOWED:  # every exception still names modules that exist
        assert any(fnmatch(m, allowed) for m in modules()), allowed
