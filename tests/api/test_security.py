"""Issue 13: staff API tokens per account, internals and docs off the public address, secret
files, faq ids checked before they reach a path."""
import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import INTERNAL, STAFF
from tests.api.test_admin_console import audit_rows, make_ticket, make_user

ROOT = Path(__file__).resolve().parents[2]
TOKEN_CMD = [sys.executable, "-m", "api.admin.create_token"]


def _issue(login: str, days: float = 30, role: str | None = None) -> tuple[str, int]:
    from api.admin.tokens import issue
    from api.db import SessionLocal

    with SessionLocal() as s:
        token, row = issue(s, login, days, role, actor="test")
        return token, row.id


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# -- staff API tokens ----------------------------------------------------------------------
def test_staff_api_needs_an_account_token(client):
    assert client.get("/api/admin/faqs").status_code == 401
    assert client.get("/api/admin/faqs", headers=bearer("x" * 40)).status_code == 401
    # the retired shared token (MADOGUCHI_STAFF_TOKEN) is not a credential any more
    assert client.get("/api/admin/tickets", headers=bearer(os.environ.get("MADOGUCHI_STAFF_TOKEN") or "")).status_code == 401
    assert client.get("/api/admin/faqs", headers=STAFF).status_code == 200
    # the internal token is not a staff token, nor the reverse
    assert client.get("/api/admin/faqs", headers=INTERNAL).status_code == 401
    assert client.get("/internal/contact", headers=STAFF).status_code == 401


def test_token_role_expiry_revocation_and_account(client):
    from api.admin import accounts, tokens
    from api.admin.models import StaffToken, StaffUser
    from api.db import SessionLocal

    viewer = make_user("viewer")
    token, _ = _issue(viewer)
    assert client.get("/api/admin/tickets", headers=bearer(token)).status_code == 200
    r = client.post("/api/admin/faqs", headers=bearer(token), json={"question": "q", "answer": "a"})
    assert r.status_code == 403 and r.json()["detail"] == "この操作をする権限がありません。"
    with pytest.raises(accounts.AccountError):  # never more than the account's role
        _issue(viewer, role="editor")
    with pytest.raises(accounts.AccountError):
        _issue(viewer, days=400)

    editor = make_user("editor")
    read_only, _ = _issue(editor, role="viewer")
    assert client.delete("/api/admin/faqs/nothing-here", headers=bearer(read_only)).status_code == 403
    token, token_id = _issue(editor)
    assert client.delete("/api/admin/faqs/nothing-here", headers=bearer(token)).status_code == 404
    with SessionLocal() as s:  # expired
        s.get(StaffToken, token_id).expires_at = accounts.now() - dt.timedelta(seconds=1)
        s.commit()
    assert client.get("/api/admin/faqs", headers=bearer(token)).status_code == 401
    token, token_id = _issue(editor)
    with SessionLocal() as s:
        tokens.revoke(s, token_id, actor="test")
    assert client.get("/api/admin/faqs", headers=bearer(token)).status_code == 401
    assert audit_rows("token.revoke", editor)
    token, _ = _issue(editor)
    with SessionLocal() as s:  # a deactivated account's tokens stop at once
        user = s.query(StaffUser).filter_by(login=editor).one()
        user.active = False
        s.commit()
    assert client.get("/api/admin/faqs", headers=bearer(token)).status_code == 401
    with SessionLocal() as s:  # only the digest is stored
        assert not s.query(StaffToken).filter(StaffToken.token_hash == token).count()


def test_ticket_answers_through_the_api_are_audited_with_who(client):
    editor = make_user("editor")
    token, token_id = _issue(editor)
    number = make_ticket(client)
    r = client.post(f"/api/admin/tickets/{number}/answer", headers=bearer(token), json={"answer": "土曜日も受け取れます。"})
    assert r.status_code == 200, r.text
    row = audit_rows("ticket.answer", number)[-1]
    assert row.actor == editor and row.actor_id is not None
    assert row.details["via"] == "api" and row.details["token"] == token_id
    assert client.post(f"/api/admin/tickets/{number}/close", headers=bearer(token)).status_code == 200
    assert audit_rows("ticket.close", number)[-1].actor == editor
    faq = {"id": "audit-api-001", "question": "APIで作った質問", "answer": "APIで作った回答です。"}
    assert client.post("/api/admin/faqs", headers=bearer(token), json=faq).status_code == 201
    assert client.delete("/api/admin/faqs/audit-api-001", headers=bearer(token)).status_code == 204
    assert [r.actor for r in audit_rows("faq.create", "audit-api-001")] == [editor]
    assert [r.actor for r in audit_rows("faq.delete", "audit-api-001")] == [editor]


def test_no_sender_ids_in_staff_api_output(client):
    web = "web:" + "c" * 32
    line = "line:U" + "d" * 32
    first = make_ticket(client, sender=web)
    second = make_ticket(client, sender=web)
    third = make_ticket(client, channel="line", sender=line)
    listed = client.get("/api/admin/tickets", headers=STAFF)
    one = client.get(f"/api/admin/tickets/{first}", headers=STAFF).json()
    for text in (listed.text, json.dumps(one)):
        assert "c" * 32 not in text and "d" * 32 not in text and "web:" not in text and "line:U" not in text
    assert "sender" not in one
    by_number = {t["number"]: t for t in listed.json()}
    # one opaque id per resident: the same for all their tickets, another for another resident
    assert by_number[first]["resident"] == by_number[second]["resident"] != by_number[third]["resident"]
    assert by_number[first]["resident"].startswith("r-")


def test_create_token_command():
    login = make_user("editor")
    env = {**os.environ}
    made = subprocess.run(TOKEN_CMD + [login, "--days", "7", "--note", "FAQ同期"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("mdg_") and len(token) > 40
    from api.admin.tokens import find
    from api.db import SessionLocal

    with SessionLocal() as s:
        actor = find(s, token)
        assert actor.login == login and actor.role == "editor"
    # an existing shared token, registered for an account so that scripts keep working
    old = "an-old-shared-staff-token-0123456789abcdef"
    imported = subprocess.run(TOKEN_CMD + [login, "--days", "90", "--stdin"], input=old + "\n", cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert old not in imported.stdout + imported.stderr
    with SessionLocal() as s:
        assert find(s, old).login == login
    short = subprocess.run(TOKEN_CMD + [login, "--stdin"], input="short\n", cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert short.returncode == 1
    listed = subprocess.run(TOKEN_CMD + ["--list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert login in listed.stdout and token not in listed.stdout and old not in listed.stdout
    assert subprocess.run(TOKEN_CMD + ["nobody-here"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120).returncode == 1
    assert audit_rows("token.create", login)


# -- the public address --------------------------------------------------------------------
def test_docs_only_where_configured(client, monkeypatch):
    from api import main

    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404
    monkeypatch.setenv("MADOGUCHI_API_DOCS", "1")
    assert main._docs_urls() == {}  # FastAPI's defaults: /docs, /redoc, /openapi.json
    monkeypatch.delenv("MADOGUCHI_API_DOCS")
    assert main._docs_urls() == {"docs_url": None, "redoc_url": None, "openapi_url": None}


def test_public_app_has_no_internal_routes():
    """api.main:app never routes /internal/* (the `client` fixture adds them for the tests only;
    test_admin_commands checks a real listener answers 404)."""
    from fastapi.testclient import TestClient

    from api.internal import internal_app

    paths = set(internal_app.openapi()["paths"])  # the schema is built, never served (no openapi_url)
    assert paths and all(p.startswith("/internal/") for p in paths)
    assert "/internal/faq/{faq_id}" in paths and "/internal/applications/lookup" in paths
    bare = TestClient(internal_app)  # no start-up: routes that need no services
    assert bare.get("/internal/contact", headers=INTERNAL).json()["city"]
    assert bare.get("/internal/contact").status_code == 401
    assert bare.get("/openapi.json").status_code == 404 and bare.get("/api/chat").status_code in (404, 405)
    source = (ROOT / "api" / "main.py").read_text()
    assert ".internal)" not in source and "info_router" not in source


def test_demo_and_telemetry_are_off_by_default(monkeypatch):
    from api.config import Settings

    for name in ("MADOGUCHI_DEMO", "MADOGUCHI_API_DOCS", "MADOGUCHI_RASA_TELEMETRY"):
        monkeypatch.delenv(name, raising=False)
    s = Settings()
    assert not s.demo and not s.api_docs and not s.rasa_telemetry
    assert (ROOT / "Makefile").read_text().count("MADOGUCHI_DEMO=$${MADOGUCHI_DEMO:-1}") == 1
    for script in ("train.sh", "test.sh"):
        assert "RASA_TELEMETRY_ENABLED=false" in (ROOT / "scripts" / script).read_text()


# -- secrets -------------------------------------------------------------------------------
def test_secret_files_are_private_from_creation(tmp_path, monkeypatch):
    from api import config

    created_modes = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *a, **kw):
        if str(path).endswith("internal_token"):
            created_modes.append((flags, mode))
        return real_open(path, flags, mode, *a, **kw)

    monkeypatch.setattr(config.os, "open", spy)
    value = config._secret("", tmp_path, "internal_token")
    path = tmp_path / "secrets" / "internal_token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    (flags, mode), = created_modes
    assert mode == 0o600 and flags & os.O_CREAT and flags & os.O_EXCL
    assert config._secret("", tmp_path, "internal_token") == value  # read, not rewritten
    assert config._secret("from-env", tmp_path, "internal_token") == "from-env"


# -- faq ids from button payloads ------------------------------------------------------------
@pytest.mark.parametrize("bad", ["..%2F..%2Fapplications", "Bad_ID", "-x", "a" * 65, "faq-1%3Fk%3D50", "ｆａｑ"])
def test_faq_id_is_checked_in_the_path(client, bad):
    assert client.get(f"/internal/faq/{bad}", headers=INTERNAL).status_code in (404, 422)
    assert client.get(f"/api/admin/faqs/{bad}", headers=STAFF).status_code in (404, 422)
    r = client.post("/internal/faq/feedback", headers=INTERNAL,
                    json={"sender": "web:" + "e" * 32, "faq_id": bad, "helpful": True})
    assert r.status_code == 422


# -- tokens in the console -------------------------------------------------------------------
def test_admin_issues_and_revokes_tokens_in_the_console(client, monkeypatch):
    import re

    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")  # TestClient speaks plain http
    from tests.api.test_admin_console import csrf, logged_in, user_row

    admin, _ = logged_in(client, "admin")
    editor = make_user("editor")
    uid = user_row(editor).id
    page = admin.get(f"/admin/users/{uid}")
    assert page.status_code == 200 and "APIトークンはありません" in page.text
    assert 'value="admin"' not in page.text.split('id="token-role"')[1].split("</select>")[0]  # not above the account
    r = admin.post(f"/admin/users/{uid}/tokens", data={"csrf_token": csrf(page.text), "days": "30", "role": "editor",
                                                       "note": "FAQ同期"})
    assert r.status_code == 200 and "二度と表示できません" in r.text
    token = re.search(r'<code id="new-token">([^<]+)</code>', r.text).group(1)
    assert client.get("/api/admin/faqs", headers=bearer(token)).status_code == 200
    shown = admin.get(f"/admin/users/{uid}").text
    assert token not in shown and "FAQ同期" in shown and "有効" in shown  # never shown again
    refused = admin.post(f"/admin/users/{uid}/tokens", data={"csrf_token": csrf(shown), "days": "30", "role": "admin"})
    assert refused.status_code == 422 and "強い役割" in refused.text
    token_id = audit_rows("token.create", editor)[-1].details["token"]
    r = admin.post(f"/admin/users/{uid}/tokens/revoke", data={"csrf_token": csrf(shown), "token_id": str(token_id)})
    assert r.status_code == 303
    assert client.get("/api/admin/faqs", headers=bearer(token)).status_code == 401
    assert "失効" in admin.get(f"/admin/users/{uid}").text
    assert audit_rows("token.revoke", editor)[-1].actor != editor  # by the admin
    # an editor cannot reach the page or issue tokens
    other, _ = logged_in(client, "editor")
    assert other.get(f"/admin/users/{uid}").status_code == 403
    home = other.get("/admin").text
    assert other.post(f"/admin/users/{uid}/tokens", data={"csrf_token": csrf(home), "days": "30"}).status_code == 403
