import os
import tempfile

# Settings and the database engine are read at import: point them at a scratch
# directory before anything from api/ is imported.
_VAR = tempfile.mkdtemp(prefix="madoguchi-test-")
os.environ["MADOGUCHI_VAR"] = _VAR
# Embeddings depend only on the text: share them across test runs (var/ is not committed).
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("MADOGUCHI_EMBED_CACHE", os.path.join(_ROOT, "var", "cache", "embeddings.sqlite"))
os.environ["MADOGUCHI_INTERNAL_TOKEN"] = "internal-test-token"
# Nothing listens here: chat tests see Rasa as down unless they start a stand-in.
os.environ["MADOGUCHI_RASA_URL"] = "http://127.0.0.1:9"
os.environ["MADOGUCHI_ACTIONS_URL"] = "http://127.0.0.1:9"
# The LINE channel is on; calls to LINE fail (nothing listens) unless a test points
# LINE_API_BASE at a stand-in.
os.environ["LINE_CHANNEL_SECRET"] = "line-test-secret"
os.environ["LINE_CHANNEL_ACCESS_TOKEN"] = "line-test-access-token"
os.environ["LINE_API_BASE"] = "http://127.0.0.1:9"
# The demo applications of README's table (tests look them up); off by default in production.
os.environ["MADOGUCHI_DEMO"] = "1"
# Every test talks from one address ("testclient"): the per-client limits are raised here and
# tested on their own (tests/api/test_limits.py sets its own with api.ratelimit.configure).
for _group in ("CHAT", "SEARCH", "LINE", "LOGIN", "CONSOLE"):
    os.environ[f"MADOGUCHI_RATE_{_group}"] = os.environ[f"MADOGUCHI_RATE_{_group}_ALL"] = "100000/minute"
os.environ["MADOGUCHI_RATE_LINE_USER"] = "100000/minute"
os.environ["MADOGUCHI_STAFF_CLIENT_MAX_FAILED_LOGINS"] = "100000"
os.environ["MADOGUCHI_UNKNOWN_LOGIN_AUDIT"] = "100000/hour"
os.environ["MADOGUCHI_LOOKUP_RATE_ALL"] = "100000/minute"
# The live chat's sweep runs when a test calls it (tests/api/test_handover.py moves a clock): the
# api's own round every few seconds would race the tests' steps. The e2e stack keeps its 5 s.
os.environ["MADOGUCHI_HANDOVER_SWEEP_S"] = "86400"
# ごみ分別: a few dozen rows of Yokohama's list (tests/api/data/gomi/README.md)
os.environ["MADOGUCHI_GOMI"] = os.path.join(_ROOT, "tests", "api", "data", "gomi")

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

STAFF_TOKEN = "staff-test-token-of-the-api-tests-account"
STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}
INTERNAL = {"Authorization": "Bearer internal-test-token"}


@pytest.fixture(scope="session")
def client():
    from api.internal import router as internal_router
    from api.main import app

    # In production /internal/* is served by api.internal:internal_app on a loopback listener of
    # its own (tests/api/test_security.py checks the public app answers 404 there); here the tests
    # reach both through one client.
    if not any(getattr(r, "path", "").startswith("/internal") for r in app.routes):
        app.include_router(internal_router)
    with TestClient(app) as c:
        _staff_token()
        yield c


def _staff_token() -> None:
    """The staff API's token of the tests: an editor account's (python -m api.admin.create_token's way)."""
    from api.admin.accounts import create_user
    from api.admin.tokens import issue
    from api.db import SessionLocal

    with SessionLocal() as session:
        create_user(session, "api-tests", "テスト", "editor", "a long test password", actor="tests")
        issue(session, "api-tests", 30, actor="tests", value=STAFF_TOKEN)


@pytest.fixture(scope="session")
def faq(client):
    return client.app.state.faq


class RasaRest:
    """Rasa's REST channel as the api's client calls it (Rasa itself runs in tests/e2e): records
    each request body in `received` and answers the messages of `reply` to the sender."""

    def __init__(self):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.received: list[dict] = []
        self.reply: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.received.append(body)
                out = json.dumps([{"recipient_id": body["sender"], **m} for m in outer.reply]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def rasa_rest(client, monkeypatch):
    """The app's Rasa client pointed at a RasaRest stand-in for one test."""
    stand_in = RasaRest()
    monkeypatch.setattr(client.app.state.rasa, "servers", [stand_in.url])
    yield stand_in
    stand_in.close()


@pytest.fixture(scope="module")
def platform():
    """A stand-in for LINE's platform (tests/e2e/conftest.py's LinePlatform) for a module's tests."""
    from tests.e2e.conftest import LinePlatform

    p = LinePlatform()
    yield p
    p.close()
