"""A TCP forwarder on 127.0.0.1 in front of a real server, which a test stops and starts again
on the same port: stopping it closes every open connection (a WebSocket through it really
drops, which Playwright's offline mode never does) and refuses new ones until it is back. It
can also hold back what the server sends (a slow network) and let it through later.

It forwards bytes as they are, so the browser's `Host` and `Origin` both name the proxy's
address: the server's own-origin check passes as it does behind any TCP (layer 4) proxy."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tests.live_server import free_port

T = TypeVar("T")
CHUNK = 64 * 1024


class LoopbackProxy:
    def __init__(self, upstream_url: str, port: int | None = None) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.port = port or free_port()
        self.accepted = 0  # connections accepted since made
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = self._run(self._event())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def listening(self) -> bool:
        return self._server is not None

    def start(self) -> LoopbackProxy:
        """Listen (again) on the same port."""
        self._run(self._listen())
        return self

    def stop(self) -> None:
        """Stop listening and close every open connection at once (both sides)."""
        self._run(self._shutdown())

    def hold(self) -> None:
        """Keep what the server sends in the proxy until `release` (what the browser sends
        still goes through)."""
        self._run(self._flow(False))

    def release(self) -> None:
        self._run(self._flow(True))

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> LoopbackProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------ on the proxy's loop

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=15)

    async def _event(self) -> asyncio.Event:
        flowing = asyncio.Event()
        flowing.set()
        return flowing

    async def _flow(self, on: bool) -> None:
        if on:
            self._flowing.set()
        else:
            self._flowing.clear()

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )

    async def _shutdown(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    async def _accept(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        try:
            server_in, server_out = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_out.transport.abort()
            return
        self._writers.update((client_out, server_out))
        up = asyncio.create_task(self._pump(client_in, server_out, held=False))
        down = asyncio.create_task(self._pump(server_in, client_out, held=True))
        self._tasks.update((up, down))
        try:
            await asyncio.gather(up, down, return_exceptions=True)
        finally:
            self._tasks.difference_update((up, down))
            for writer in (client_out, server_out):
                self._writers.discard(writer)
                writer.transport.abort()

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, held: bool
    ) -> None:
        """One direction, until its source ends; then its sink is told so (a half close)."""
        try:
            while data := await source.read(CHUNK):
                if held:
                    await self._flowing.wait()
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                sink.write_eof()
