"""A faq_id from a button payload is resident input: only an id shaped like ours reaches the api."""
from __future__ import annotations


from aiohttp import web
from rasa_sdk import Tracker

from actions.api_client import valid_faq_id
from actions.faq import ActionAnswerFaqById
from actions.feedback import ActionFeedback
from tests.bot.api_stand_in import run_action

BAD = ["../applications/lookup", "dv-001/../../contact", "dv-001?k=50", "DV-001", "-x", "a" * 65, "", None, 12,
       "dv 001", "ｄｖ-001"]


def test_valid_faq_id():
    assert valid_faq_id("dv-001") and valid_faq_id("faq-0123456789") and valid_faq_id("a" * 64)
    assert not any(valid_faq_id(bad) for bad in BAD)


def _run(action, faq_id) -> list:
    seen = []

    async def anything(request: web.Request) -> web.Response:
        seen.append(request.path_qs)
        if request.path == "/internal/contact":
            return web.json_response({"city": "市", "phone": "", "hours": "", "office": "", "hall": "市役所",
                                      "site": "", "call": "市役所"})
        return web.json_response({"detail": "none"}, status=404)

    message = {"text": "/x", "intent": {"name": "choose_faq", "confidence": 1.0},
               "entities": [{"entity": "faq_id", "value": faq_id}, {"entity": "helpful", "value": True}]}
    trk = Tracker("web:abc", {}, message, [], False, None, {}, "action_listen")
    messages, _ = run_action(action, trk, [("*", "/{tail:.*}", anything)])
    assert messages  # the resident always gets a reply
    return seen


def test_crafted_ids_never_reach_a_path():
    for bad in BAD:
        for action in (ActionAnswerFaqById(), ActionFeedback()):
            seen = _run(action, bad)
            assert not any(p.startswith("/internal/faq/") and p != "/internal/faq/search" and
                           not p.startswith("/internal/faq/search?") for p in seen), (bad, seen)
    assert "/internal/faq/dv-001" in [p.split("?")[0] for p in _run(ActionAnswerFaqById(), "dv-001")]
