"""The console's commands: create_user, and the console on an address of its own (api.admin.serve)."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]
CREATE = [sys.executable, "-m", "api.admin.create_user"]


@pytest.fixture(autouse=True)
def _plain_http_cookies(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_INSECURE_COOKIES", "1")


def _run(args, password, env=None, **kw):
    env = {**os.environ, **(env or {})}
    env.pop("MADOGUCHI_NEW_PASSWORD", None)
    if password is not None:
        env["MADOGUCHI_NEW_PASSWORD"] = password
    return subprocess.run(CREATE + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, **kw)


def _login(b, login, password):
    token = re.search(r'name="csrf_token" value="([^"]+)"', b.get("/admin/login").text).group(1)
    return b.post("/admin/login", data={"login": login, "password": password, "csrf_token": token})


def test_create_user_command(client):
    """The documented command creates the first admin in the api's database (MADOGUCHI_VAR of the tests)."""
    from fastapi.testclient import TestClient

    from api.admin.models import AuditLog, StaffUser
    from api.db import SessionLocal

    args = ["--login", "Chief", "--name", "管理者", "--role", "admin"]
    done = _run(args, "a long admin password")
    assert done.returncode == 0, done.stderr
    assert "chief" in done.stdout and "a long admin password" not in done.stdout + done.stderr
    with SessionLocal() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.login == "chief"))
        assert user.role == "admin" and user.display_name == "管理者" and user.active
        assert user.password_hash.startswith("$argon2id$") and "a long admin password" not in user.password_hash
        row = s.scalar(select(AuditLog).where(AuditLog.action == "user.create", AuditLog.target == "chief"))
        assert row.actor.startswith("cli") and row.actor_id is None
    # the new admin logs in and manages accounts
    b = TestClient(client.app, follow_redirects=False)
    assert _login(b, "chief", "a long admin password").status_code == 303
    assert b.get("/admin/users").status_code == 200

    again = _run(args, "another long password")
    assert again.returncode == 1 and "既に使われています" in again.stderr
    short = _run(["--login", "shorty", "--name", "x", "--role", "viewer"], "elevenchars")
    assert short.returncode == 1 and "12文字以上" in short.stderr
    bad_role = _run(["--login", "someone", "--name", "x", "--role", "root"], "a long enough password")
    assert bad_role.returncode == 2
    with SessionLocal() as s:
        assert s.scalar(select(StaffUser).where(StaffUser.login.in_(["shorty", "someone"]))) is None


def test_create_user_asks_the_password_twice(monkeypatch, capsys, client):
    from api.admin import create_user
    from api.admin.models import StaffUser
    from api.db import SessionLocal

    monkeypatch.delenv("MADOGUCHI_NEW_PASSWORD", raising=False)
    answers = iter(["typed password 1", "typed password 2"])
    monkeypatch.setattr(create_user.getpass, "getpass", lambda prompt="": next(answers))
    assert create_user.main(["--login", "typist", "--name", "入力 太郎", "--role", "editor"]) == 1
    assert "一致しません" in capsys.readouterr().err
    answers = iter(["typed password 1", "typed password 1"])
    assert create_user.main(["--login", "typist", "--name", "入力 太郎", "--role", "editor"]) == 0
    with SessionLocal() as s:
        assert s.scalar(select(StaffUser).where(StaffUser.login == "typist")).role == "editor"


def test_console_port_takes_admin_out_of_the_main_app():
    code = """
import json
from fastapi.routing import iter_route_contexts
import api.main, api.admin.app
paths = lambda app: sorted({r.path for r in iter_route_contexts(app.routes) if r.path})
print(json.dumps({"main": paths(api.main.app), "console": paths(api.admin.app.console_app)}))
"""
    env = {**os.environ, "MADOGUCHI_CONSOLE_PORT": "8001"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    paths = json.loads(out.stdout.strip().splitlines()[-1])
    assert not [p for p in paths["main"] if p.startswith("/admin")]
    assert "/api/chat" in paths["main"]
    assert {"/admin", "/admin/login", "/admin/tickets/{number}", "/admin/users"} <= set(paths["console"])
    assert all(p.startswith("/admin") for p in paths["console"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_api_and_console_on_two_ports_in_one_process():
    """…and the internal api on a loopback port of its own: /internal/* is never on the api's address."""
    var = tempfile.mkdtemp(prefix="madoguchi-console-")
    api_port, console_port, internal_port = _free_port(), _free_port(), _free_port()
    env = {**os.environ, "MADOGUCHI_VAR": var, "MADOGUCHI_CONSOLE_PORT": str(console_port),
           "MADOGUCHI_CONSOLE_HOST": "127.0.0.1", "MADOGUCHI_INSECURE_COOKIES": "1",
           "MADOGUCHI_NEW_PASSWORD": "console password", "MADOGUCHI_INTERNAL_TOKEN": "serve-internal-token"}
    env.pop("MADOGUCHI_DB_URL", None)
    made = subprocess.run(CREATE + ["--login", "boss", "--name", "管理者", "--role", "admin"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    log = open(Path(var) / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "api.admin.serve", "--host", "127.0.0.1", "--port", str(api_port),
                             "--internal-port", str(internal_port), "--no-access-log"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    console = f"http://127.0.0.1:{console_port}"
    api = f"http://127.0.0.1:{api_port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (Path(var) / "serve.log").read_text()
            try:
                if httpx.get(f"{console}/admin/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "console did not start"
            time.sleep(0.5)
        assert httpx.get(f"{api}/admin/login").status_code == 404  # not on the api's address
        assert httpx.get(f"{api}/api/faq/search", params={"q": "住民票"}).status_code == 200
        assert httpx.get(f"{console}/api/faq/search", params={"q": "住民票"}).status_code == 404
        internal = f"http://127.0.0.1:{internal_port}"
        bearer = {"Authorization": "Bearer serve-internal-token"}
        for base in (api, console):  # not even with the token
            assert httpx.get(f"{base}/internal/contact", headers=bearer).status_code == 404
        assert httpx.get(f"{internal}/internal/contact").status_code == 401  # the token is still needed
        assert httpx.get(f"{internal}/internal/contact", headers=bearer).json()["city"] == "ひかり野市"
        hits = httpx.get(f"{internal}/internal/faq/search", params={"q": "住民票"}, headers=bearer).json()["hits"]
        assert hits and httpx.get(f"{internal}/internal/faq/{hits[0]['id']}", headers=bearer).status_code == 200
        for path in ("/api/chat", "/api/faq/search", "/admin/login", "/docs", "/openapi.json"):
            assert httpx.get(f"{internal}{path}").status_code in (404, 405)
        with httpx.Client(base_url=console) as b:
            assert _login(b, "boss", "console password").status_code == 303
            home = b.get("/admin")
            assert home.status_code == 200
            faq_count = int(re.findall(r'<p class="count">(\d+)', home.text)[2])
        # the console reads the api's FAQ store (one process, one set of services)
        assert faq_count > 200 and faq_count == httpx.get(f"{api}/healthz").json()["faqs"]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        log.close()
    assert code == 0, (Path(var) / "serve.log").read_text()
