"""actions.api_client against a local stand-in of the api (real HTTP on a free port): a request whose
connection breaks (the api instance died: scaled mode) is sent again once where that is safe."""
from __future__ import annotations

import asyncio

from aiohttp import web

from actions.api_client import ApiClient, ApiUnavailable
from tests.bot.api_stand_in import stand_in


def _serve(handler, method: str, path: str, check):
    async def go():
        async with stand_in([(method, path, handler)]) as url:
            return await check(ApiClient(url, token="t"))
    return asyncio.run(go())


def _dies_first(bodies: list):
    """A handler whose first request loses its connection (its instance died), as a killed api does."""
    async def handler(request: web.Request):
        bodies.append(await request.json() if request.can_read_body else dict(request.query))
        if len(bodies) == 1:
            request.transport.close()
            await asyncio.sleep(0.1)
        return web.json_response({"number": "Q-2026-000001", "expect": "", "urgent": ""}, status=201)
    return handler


def test_a_ticket_request_whose_connection_broke_is_sent_again_with_its_key():
    bodies: list = []
    created = _serve(_dies_first(bodies), "POST", "/internal/tickets",
                     lambda api: api.create_ticket("web:" + "a" * 32, "web", "質問です", []))
    assert created["number"] == "Q-2026-000001"
    assert len(bodies) == 2 and bodies[0]["key"] == bodies[1]["key"] and len(bodies[0]["key"]) == 32


def test_a_search_whose_connection_broke_is_sent_again():
    bodies: list = []
    _serve(_dies_first(bodies), "GET", "/internal/faq/search", lambda api: api.search_faq("住民票"))
    assert len(bodies) == 2


def test_other_posts_are_not_sent_twice():
    bodies: list = []

    async def check(api):
        try:
            await api.feedback("web:" + "a" * 32, "juminhyo-001", True)
        except ApiUnavailable:
            return "unavailable"
    assert _serve(_dies_first(bodies), "POST", "/internal/faq/feedback", check) == "unavailable"
    assert len(bodies) == 1
