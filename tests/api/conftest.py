import os
import tempfile

# Settings and the database engine are read at import: point them at a scratch
# directory before anything from api/ is imported.
_VAR = tempfile.mkdtemp(prefix="madoguchi-test-")
os.environ["MADOGUCHI_VAR"] = _VAR
# Embeddings depend only on the text: share them across test runs (var/ is not committed).
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("MADOGUCHI_EMBED_CACHE", os.path.join(_ROOT, "var", "cache", "embeddings.sqlite"))
os.environ["MADOGUCHI_STAFF_TOKEN"] = "staff-test-token"
os.environ["MADOGUCHI_INTERNAL_TOKEN"] = "internal-test-token"
# Nothing listens here: chat tests see Rasa as down unless they start a stand-in.
os.environ["MADOGUCHI_RASA_URL"] = "http://127.0.0.1:9"
os.environ["MADOGUCHI_ACTIONS_URL"] = "http://127.0.0.1:9"
# The LINE channel is on; calls to LINE fail (nothing listens) unless a test points
# LINE_API_BASE at a stand-in.
os.environ["LINE_CHANNEL_SECRET"] = "line-test-secret"
os.environ["LINE_CHANNEL_ACCESS_TOKEN"] = "line-test-access-token"
os.environ["LINE_API_BASE"] = "http://127.0.0.1:9"
# ごみ分別: a few dozen rows of Yokohama's list (tests/api/data/gomi/README.md)
os.environ["MADOGUCHI_GOMI"] = os.path.join(_ROOT, "tests", "api", "data", "gomi")

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

STAFF = {"Authorization": "Bearer staff-test-token"}
INTERNAL = {"Authorization": "Bearer internal-test-token"}


@pytest.fixture(scope="session")
def client():
    from api.main import app

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def faq(client):
    return client.app.state.faq
