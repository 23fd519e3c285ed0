"""The classic asyncio flags downloader that flaggui grew out of, written
again as the baseline of ``throughput.py``: one aiohttp session, one
coroutine per flag, all started at once with ``asyncio.gather``, each flag
saved with a plain blocking write as it arrives, its code printed, and at
the end ``N flags downloaded in X.XXs``. Nothing more: no limit of its own
on requests in flight (aiohttp's connector allows 100), no status check,
retry, validation or atomic save.

    python benchmarks/classic_flags.py BASE_URL DEST [CC ...]

Flags are fetched from ``BASE_URL/cc/cc.gif`` and saved as ``DEST/cc.gif``;
without codes, the twenty most populous countries, as in the original.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import aiohttp

POP20 = "CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR".split()


def save_flag(image: bytes, path: Path) -> None:
    path.write_bytes(image)


async def get_flag(session: aiohttp.ClientSession, base_url: str, cc: str) -> bytes:
    async with session.get(f"{base_url}/{cc}/{cc}.gif") as response:
        return await response.read()


async def download_one(session: aiohttp.ClientSession, base_url: str, dest: Path, cc: str) -> str:
    image = await get_flag(session, base_url, cc)
    save_flag(image, dest / f"{cc}.gif")  # a blocking write, as in the original
    print(cc, end=" ", flush=True)
    return cc


async def supervisor(base_url: str, dest: Path, codes: list[str]) -> int:
    async with aiohttp.ClientSession() as session:
        done = await asyncio.gather(*(download_one(session, base_url, dest, cc) for cc in codes))
    return len(done)


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    base_url, dest = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    codes = sorted(cc.lower() for cc in sys.argv[3:] or POP20)
    dest.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    count = asyncio.run(supervisor(base_url, dest, codes))
    print(f"\n{count} flags downloaded in {time.perf_counter() - start:.2f}s")


if __name__ == "__main__":
    main()
