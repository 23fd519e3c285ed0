"""Behaviours for the scripted server: healthy flags and every fault a real
server can commit."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable

from tests.images import gif_claiming, make_gif, make_png
from tests.scripted_server import Behaviour, Exchange, ScriptedServer


def serve(body: bytes, content_type: str = "image/gif") -> Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(200, body, headers={"Content-Type": content_type})

    return behaviour


def healthy(code: str) -> Behaviour:
    return serve(make_gif(code))


def route_healthy(server: ScriptedServer, codes: Iterable[str]) -> None:
    """Serve a good flag for each of *codes* (either case)."""
    for code in codes:
        server.route(code.lower(), healthy(code.lower()))


def status(code: int, headers: dict[str, str] | None = None) -> Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(code, b"<html><body>failure</body></html>", headers=headers)

    return behaviour


def throttling(server: ScriptedServer, at_once: int, then: Behaviour) -> Behaviour:
    """429 (no Retry-After) for a request beyond *at_once* in flight."""

    async def behaviour(exchange: Exchange) -> None:
        if server.in_flight > at_once:
            await exchange.send(429, b"slow down\n")
        else:
            await asyncio.sleep(0.01)  # some work, so requests overlap
            await then(exchange)

    return behaviour


def first_then(failures: int, failure: Behaviour, then: Behaviour) -> Behaviour:
    """Behave like *failure* for the first *failures* requests, then *then*."""

    async def behaviour(exchange: Exchange) -> None:
        await (failure if exchange.hit <= failures else then)(exchange)

    return behaviour


def truncated_with_length(code: str) -> Behaviour:
    """Claims the full length, sends half, closes."""
    body = make_gif(code)

    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(200, body[: len(body) // 2], content_length=len(body))

    return behaviour


def truncated_without_length(code: str) -> Behaviour:
    """No Content-Length: the end of the connection ends the body, early."""
    body = make_gif(code)

    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(200, body[: len(body) // 2], content_length=None)

    return behaviour


def endless_body() -> Behaviour:
    """Streams GIF-looking bytes without a length until the client gives up."""

    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(200, make_gif("zz")[:13], content_length=None)
        chunk = b"\x21\xf9" + b"\x00" * 65534
        for _ in range(2000):  # 128 MiB at most, far above any cap
            exchange.writer.write(chunk)
            await exchange.writer.drain()

    return behaviour


def never_answers() -> Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        await asyncio.sleep(3600)

    return behaviour


def drips(code: str, interval: float = 1.0) -> Behaviour:
    """Sends the headers, then one byte every *interval* seconds."""
    body = make_gif(code)

    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(200, b"", content_length=len(body))
        for byte in body:
            exchange.writer.write(bytes([byte]))
            await exchange.writer.drain()
            await asyncio.sleep(interval)

    return behaviour


def redirect_to(location: str) -> Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(302, headers={"Location": location})

    return behaviour


def redirect_loop() -> Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(302, headers={"Location": exchange.path})

    return behaviour


def connection_reset() -> Behaviour:
    async def behaviour(exchange: Exchange) -> None:
        exchange.reset()

    return behaviour


HOSTILE: dict[str, Behaviour] = {
    "ha": status(404),
    "hb": status(503),
    "hc": truncated_with_length("hc"),
    "hd": truncated_without_length("hd"),
    "he": serve(b"<!DOCTYPE html><html><body>Oops</body></html>", "text/html"),
    "hf": serve(os.urandom(4096), "image/gif"),
    "hg": serve(make_png()),
    "hh": serve(gif_claiming(60000, 60000)),
    "hi": endless_body(),
    "hj": never_answers(),
    "hk": drips("hk"),
    "hl": redirect_loop(),
    "hm": connection_reset(),
    "hn": status(500),
}
