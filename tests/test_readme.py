"""Every example in the README runs as written, in order, as a new user would run them: in an
empty folder, with `journeymap` on the PATH, against a real `journeymap demo` and a real
`journeymap serve`.

- In a `console` block, each `$ ` line is a command (a line ending in `\\` goes on); the lines
  after it are what it prints, each found in order in its output (`…` or `...` in a line stands
  for anything there, as a password new each run; a line that is only `...` stands for any
  lines). A command must succeed, unless an `echo $?` after it shows the exit code it should have.
- `make demo` runs its recipe from the Makefile, in the tour's folder (the setup and the app's
  build it starts with are what `make test`, which runs this, has just done).
- `journeymap demo` and `journeymap serve` keep running, as in a terminal of their own, until
  the end; the demo's `export JOURNEYMAP_TOKEN=...` line is done, as the README says to.
- A `python` block runs as a script; a `print(...)  # text` line must print that text.
- The `sh` block is `make demo` and `make test`, which is what runs this test.
- What may differ on this machine: the README's ports (8000, 8001) become free ones, since
  another process may hold those; a password asked for is typed in.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests import live_server

README = Path(__file__).parents[1] / "README.md"
BIN = Path(sys.executable).parent
PASSWORD = "a long enough password"
SERVERS = (["journeymap", "demo"], ["journeymap", "serve"])  # they run until stopped


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    kind: str
    text: str
    commands: list[Command] = field(default_factory=list)


def blocks(readme: str) -> list[Block]:
    found = []
    for kind, text in re.findall(r"^```(\w+)\n(.*?)^```$", readme, flags=re.M | re.S):
        block = Block(kind, text)
        if kind == "console":
            lines = text.splitlines()
            while lines:
                line = lines.pop(0)
                if line.startswith("$ "):
                    command = line[2:]
                    while command.endswith("\\") and lines:
                        command = command[:-1] + " " + lines.pop(0).strip()
                    block.commands.append(Command(command))
                elif block.commands and line.strip():
                    block.commands[-1].expected.append(line)
        found.append(block)
    return found


def shown(text: str) -> str:
    return " ".join(text.split())


def printed_as_expected(output: str, expected: list[str]) -> list[str]:
    """The expected lines not found, in order, in the output ([] when all are)."""
    lines = [shown(x) for x in output.splitlines()]
    at = 0
    for want in expected:
        if want.strip() == "...":
            continue
        pieces = re.split(r"…|\.\.\.", shown(want))
        pattern = re.compile(".*".join(re.escape(p.strip()) for p in pieces))
        for n in range(at, len(lines)):
            if pattern.fullmatch(lines[n]):
                at = n + 1
                break
        else:
            return [want]
    return []


def make_recipe(target: str) -> list[str]:
    """The commands of a Makefile target, as `make` would run them here."""
    text = (README.parent / "Makefile").read_text(encoding="utf-8")
    body = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, flags=re.M)
    assert body, f"no `{target}` target in the Makefile"
    joined = body[1].replace("\\\n\t", " ").replace("\\\n", " ")
    words = {"$(JM)": "journeymap", "$(DEMO_DIR)": "demo-out"}
    lines = []
    for line in joined.splitlines():
        for word, meant in words.items():
            line = line.replace(word, meant)
        lines.append(line.strip().lstrip("@"))
    return lines


class Tour:
    """The folder, the environment and the servers of one run through the README."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.ports = {"8000": str(live_server.free_port()), "8001": str(live_server.free_port())}
        self.env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "JOURNEYMAP_DATA": str(self.data),
            "COLUMNS": "100",
        }
        self.env.pop("JOURNEYMAP_DATABASE_URL", None)
        self.env.pop("JOURNEYMAP_TOKEN", None)
        self.servers: list[live_server.Live] = []
        self.last_code = 0

    def local(self, text: str) -> str:
        for port, free in self.ports.items():
            text = text.replace(f"localhost:{port}", f"localhost:{free}")
            text = text.replace(f"--port {port}", f"--port {free}")
        return text

    def run(self, command: Command, code_shown_next: bool = False) -> None:
        """Run it as a terminal would; `code_shown_next`: an `echo $?` after it says what its
        exit code must be, so it may fail."""
        line = self.local(command.line)
        if line.split() == ["make", "demo"]:
            self.make_demo(command)
            return
        if line.split()[:2] in SERVERS and "--check" not in line.split():
            self.serve(line)
            return
        done = subprocess.run(
            ["bash", "-c", f"(exit {self.last_code}); {line}"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
            capture_output=True,
            text=True,
            cwd=self.folder,
            env=self.env,
            timeout=300,
            start_new_session=True,  # no terminal: a password prompt reads what is typed in
            check=False,
        )
        output = done.stdout + done.stderr
        missing = printed_as_expected(output, [self.local(x) for x in command.expected])
        assert missing == [], f"$ {line}\nexpected {missing[0]!r} in:\n{output}"
        self.last_code = done.returncode
        assert done.returncode == 0 or code_shown_next, f"$ {line}\n{output}"

    def make_demo(self, command: Command) -> None:
        """The demo target's commands in order; its last, `journeymap demo`, keeps serving."""
        output = ""
        for line in make_recipe("demo"):
            if line.split()[:2] == ["journeymap", "demo"]:
                output += self.serve(line).log.read_text()
                continue
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", line],
                capture_output=True,
                text=True,
                cwd=self.folder,
                env=self.env,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, f"make demo: {line}\n{done.stdout}{done.stderr}"
            output += done.stdout + done.stderr
        missing = printed_as_expected(output, [self.local(x) for x in command.expected])
        assert missing == [], f"$ make demo\nexpected {missing[0]!r} in:\n{output}"

    def serve(self, line: str) -> live_server.Live:
        """A server, in the background, once it answers; a demo's token is then exported."""
        args = shlex.split(line.split("#")[0])[1:]
        port = self.ports["8000"]
        if "--port" in args:
            at = args.index("--port")
            port = args.pop(at + 1)
            args.pop(at)
        live = live_server.launch(args, self.data, int(port), timeout=300, cwd=self.folder)
        self.servers.append(live)
        if args[0] == "demo":
            exported = re.search(r"export JOURNEYMAP_TOKEN=(\S+)", live.log.read_text())
            assert exported, live.log.read_text()
            self.env["JOURNEYMAP_TOKEN"] = exported[1]
        return live

    def python(self, block: Block) -> None:
        done = subprocess.run(
            [sys.executable, "-c", self.local(block.text)],
            capture_output=True,
            text=True,
            cwd=self.folder,
            env=self.env,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, block.text + done.stdout + done.stderr
        for said in re.findall(r"^\s*print\(.*\)\s+# (.+)$", block.text, flags=re.M):
            assert said.strip() in done.stdout, (said, done.stdout)

    def stop(self) -> None:
        for live in self.servers:
            live_server.stop(live)


def test_the_readme_is_parsed_into_its_examples() -> None:
    found = blocks(README.read_text(encoding="utf-8"))
    commands = [c.line for b in found for c in b.commands]
    assert {b.kind for b in found} >= {"console", "python", "sh"}
    assert any(c.startswith("journeymap demo") for c in commands)
    assert any(c.startswith("journeymap token create") for c in commands)
    assert printed_as_expected("a  b\nc d e f\n", ["a b", "c d…"]) == []
    assert printed_as_expected("a b\n", ["c"]) == ["c"]


def test_every_example_in_the_readme_runs_as_written(tmp_path: Path) -> None:
    tour = Tour(tmp_path)
    try:
        for block in blocks(README.read_text(encoding="utf-8")):
            if block.kind == "python":
                tour.python(block)
            elif block.kind == "console":
                for n, command in enumerate(block.commands):
                    after = block.commands[n + 1 : n + 2]
                    tour.run(command, bool(after) and after[0].line.strip() == "echo $?")
    finally:
        tour.stop()
