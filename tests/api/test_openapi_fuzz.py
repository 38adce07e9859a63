"""Schemathesis over the api's OpenAPI (issue 13): every operation of the public app (residents'
endpoints and the staff API, with a staff token) and of the internal app (with the internal
token), called in process through the ASGI app with generated valid and invalid input: never a 5xx.

Bounded (FUZZ_EXAMPLES examples per operation and phase) so that it runs in about a minute; the
staff API's FAQ writes are undone afterwards so that later tests see the corpus as it was.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.api.conftest import INTERNAL, STAFF

FUZZ_EXAMPLES = int(os.environ.get("MADOGUCHI_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def _faq_ids_before(client):
    from api.faq.schemas import FaqCreate

    faq = client.app.state.faq
    before = {e.id: e for e in faq.list()}
    yield
    assert client.app.state.faq is faq  # one set of services throughout
    after = {e.id: e for e in faq.list()}
    for faq_id in after.keys() - before.keys():  # what the fuzzer created through the staff API
        faq.delete_entry(faq_id, actor="tests")
    # what it changed or deleted (it reuses ids seen in responses): as it was
    changed = [entry for faq_id, entry in before.items() if after.get(faq_id) != entry]
    fields = FaqCreate.model_fields.keys()
    faq.save_many([(FaqCreate(**entry.model_dump(include=set(fields))), "published") for entry in changed],
                  "tests", "restore")
    assert {e.id: e.model_dump(include=set(fields)) for e in faq.list()} == \
        {i: e.model_dump(include=set(fields)) for i, e in before.items()}


class _Started:
    """The app as the `client` fixture started it: schemathesis' ASGI transport would run the
    app's start-up a second time (a second FAQ service in app.state); this app declines the
    lifespan scope, as an app without one does, and serves every request with the first."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            raise RuntimeError("started by the client fixture")
        await self.app(scope, receive, send)


def _public_schema():
    from api.main import app

    # the public app's own schema (built from its routes even though /openapi.json is not served
    # by default); built at collection, before the `client` fixture adds the internal routes
    spec = app.openapi()
    spec = {**spec, "paths": {p: v for p, v in spec["paths"].items() if not p.startswith("/internal")}}
    loaded = schemathesis.openapi.from_dict(spec)
    loaded.app = _Started(app)
    return loaded


def _internal_schema():
    from api.internal import internal_app
    from api.main import app

    loaded = schemathesis.openapi.from_dict(internal_app.openapi())
    loaded.app = _Started(app)  # the same routes, on the app the `client` fixture starts (its services)
    return loaded


public = _public_schema()
internal = _internal_schema()
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


# documented 503s: here the bot (Rasa, action server) is not running, as when it is down
BOT_DOWN_503 = {"/healthz", "/api/chat"}


def _no_server_error(case, headers):
    response = case.call(headers=headers)
    if response.status_code == 503 and case.path in BOT_DOWN_503:
        return
    assert response.status_code < 500, (case.method, case.formatted_path, case.path_parameters, case.query,
                                        case.body, response.status_code, response.text[:500])


@public.parametrize()
@FUZZ
def test_public_api_never_answers_5xx(case, client, _faq_ids_before):
    _no_server_error(case, STAFF if case.path.startswith("/api/admin") else None)


@internal.parametrize()
@FUZZ
def test_internal_api_never_answers_5xx(case, client, _faq_ids_before):
    _no_server_error(case, INTERNAL)
