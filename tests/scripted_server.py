"""A real HTTP/1.1 server on 127.0.0.1 whose answer for each flag is scripted.

Each country code gets a behaviour: a coroutine that writes whatever bytes it
likes to the socket, so the tests can reproduce what hostile or broken servers
do (truncated bodies, resets, drips, hangs) that a well-behaved framework
would never send. Every connection carries one request and is then closed.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class Exchange:
    path: str
    hit: int  # 1 for the first request for this code
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def send(
        self,
        status: int,
        body: bytes = b"",
        *,
        reason: str = "",
        headers: dict[str, str] | None = None,
        content_length: int | None = -1,
    ) -> None:
        """Write a whole response. ``content_length=None`` omits the header;
        the default -1 means the true length."""
        lines = [f"HTTP/1.1 {status} {reason or _REASONS.get(status, 'Status')}"]
        if content_length is not None:
            lines.append(f"Content-Length: {len(body) if content_length < 0 else content_length}")
        for key, value in (headers or {}).items():
            lines.append(f"{key}: {value}")
        lines.append("Connection: close")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Behaviour = Callable[[Exchange], Awaitable[None]]

_REASONS = {
    200: "OK",
    302: "Found",
    404: "Not Found",
    408: "Request Timeout",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


async def not_found(exchange: Exchange) -> None:
    await exchange.send(404, b"no such flag\n")


class ScriptedServer:
    """Serves ``/flags/{cc}/{cc}.gif`` by the behaviour set for ``cc``."""

    def __init__(self, delay: float = 0.0) -> None:
        self.behaviours: dict[str, Behaviour] = {}
        self.hits: Counter[str] = Counter()  # flag requests per code
        self.metadata_hits: Counter[str] = Counter()
        self.hit_times: dict[str, list[float]] = {}
        self.delay = delay
        self.in_flight = 0
        self.max_in_flight = 0
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self.base_url = ""

    def route(self, code: str, behaviour: Behaviour) -> None:
        self.behaviours[code.lower()] = behaviour

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=2048)
        port = self._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/flags"
        return self.base_url

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            parts = path.strip("/").split("/")
            code = parts[1] if len(parts) == 3 else ""
            counter = self.metadata_hits if path.endswith("/metadata.json") else self.hits
            counter[code] += 1
            self.hit_times.setdefault(code, []).append(asyncio.get_running_loop().time())
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if self.delay:
                    await asyncio.sleep(self.delay)
                behaviour = self.behaviours.get(code, not_found)
                await behaviour(Exchange(path, counter[code], reader, writer))
            finally:
                self.in_flight -= 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._handlers.discard(task)
