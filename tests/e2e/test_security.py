"""The stack as scripts/run.py starts it (issue 13): internals only on the loopback listener,
no docs, Rasa's telemetry off, the internal token's file private, the staff API by account token."""
import stat
from pathlib import Path

import httpx

from tests.e2e.conftest import STAFF_TOKEN


def _environ(pid: int) -> dict:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def test_internals_are_off_the_public_address(services):
    api = _environ(services.pid("api"))
    actions = _environ(services.pid("actions"))
    internal = actions["MADOGUCHI_API_URL"]
    assert internal.startswith("http://127.0.0.1:") and internal != services.base
    token = {"Authorization": f"Bearer {actions['MADOGUCHI_INTERNAL_TOKEN']}"}
    assert services.http.get("/internal/contact", headers=token).status_code == 404
    assert httpx.get(f"{internal}/internal/contact", headers=token).status_code == 200
    assert httpx.get(f"{internal}/internal/contact").status_code == 401
    assert httpx.get(f"{internal}/api/chat").status_code in (404, 405)
    assert api["MADOGUCHI_INTERNAL_PORT"] == internal.rsplit(":", 1)[1]


def test_no_docs_and_staff_api_by_account_token(services):
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert services.http.get(path).status_code == 404
    assert services.http.get("/api/admin/tickets").status_code == 401
    assert services.http.get("/api/admin/tickets", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}).status_code == 200


def test_no_call_home_and_private_secrets(services):
    for name in ("rasa", "actions", "api"):
        assert _environ(services.pid(name))["RASA_TELEMETRY_ENABLED"] == "false"
    secret = services.var / "secrets" / "internal_token"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret.parent.stat().st_mode) == 0o700
    assert not (services.var / "secrets" / "staff_token").exists()  # the shared staff token is retired
