"""A local stand-in for the api's internal endpoints (real HTTP on a free port) and one action run
against it: ApiClient takes the api's address and token from the environment, as in production."""
from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable, Iterable

from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

Route = tuple[str, str, Callable[[web.Request], Awaitable[web.Response]]]  # method, path, handler


@asynccontextmanager
async def stand_in(routes: Iterable[Route]) -> AsyncIterator[str]:
    """The stand-in api serving `routes` on a free port, while in the block: its base URL."""
    app = web.Application()
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()


def run_action(action, trk: Tracker, routes: Iterable[Route]) -> tuple[list, list]:
    """(the messages the action uttered, the events it returned)."""
    async def go() -> tuple[list, list]:
        async with stand_in(routes) as url:
            saved = {k: os.environ.get(k) for k in ("MADOGUCHI_API_URL", "MADOGUCHI_INTERNAL_TOKEN")}
            os.environ.update(MADOGUCHI_API_URL=url, MADOGUCHI_INTERNAL_TOKEN="t")
            try:
                dispatcher = CollectingDispatcher()
                events = await action.run(dispatcher, trk, {})
                return dispatcher.messages, events
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value

    return asyncio.run(go())
