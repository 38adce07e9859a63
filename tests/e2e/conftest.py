"""Starts the real services (scripts/run.py: action server, Rasa, api) on free ports,
with a local stand-in for the LINE platform that the api calls instead of api.line.me."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STAFF_TOKEN = "e2e-staff-token-of-the-e2e-staff-account"  # registered with api.admin.create_token
LINE_SECRET = "e2e-line-channel-secret"
LINE_TOKEN = "e2e-line-access-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n: int) -> int:
    """The first of n consecutive free ports (scaled mode numbers its servers from one port)."""
    for _ in range(200):
        first = free_port()
        socks = []
        try:
            for port in range(first, first + n):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError(f"no {n} consecutive free ports")


class LinePlatform:
    """Stands in for api.line.me: records each call (path, headers, JSON body, retry key, the status
    it answered) and answers 200 {} — or, on demand, fails: fail(n, status) answers the next n calls
    with that status, stall(n, seconds, accept) holds the next n calls longer than the client waits
    (accept=True: as if LINE took the request and only its answer was lost); with match=, only calls
    for which match(call) holds. Like LINE, a push whose X-Line-Retry-Key was already accepted gets 409.
    GET /v2/bot/profile/{userId} answers a profile, with the `language` set in profiles[userId] (none
    when not set, as for a user who did not agree to LINE's privacy policy); 404 for userId "Ugone…"."""

    def __init__(self):
        self.calls: list[dict] = []
        self.profiles: dict[str, dict] = {}
        self.accepted_keys: set[str] = set()
        self._plan: list[tuple] = []
        self._cond = threading.Condition()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                headers = {k.lower(): v for k, v in self.headers.items()}
                key = headers.get("x-line-retry-key")
                with platform._cond:
                    action = platform._take({"path": self.path, "headers": headers, "body": body})
                    if action[0] == "ok" and key and key in platform.accepted_keys:
                        action = ("status", 409)
                    accepted = action[0] == "ok" or (action[0] == "stall" and action[2])
                    if accepted and key:
                        platform.accepted_keys.add(key)
                if action[0] == "stall":
                    time.sleep(action[1])
                code = action[1] if action[0] == "status" else 200 if accepted else 500
                out = b"{}" if code == 200 else json.dumps({"message": f"stand-in: {code}"}).encode()
                call = {"path": self.path, "headers": headers, "body": body, "raw": raw, "retry_key": key,
                        "status": code, "accepted": accepted}
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except OSError:  # the client gave up waiting (stall)
                    pass
                with platform._cond:
                    platform.calls.append(call)
                    platform._cond.notify_all()

            def do_GET(self):
                prefix = "/v2/bot/profile/"
                user = self.path[len(prefix):] if self.path.startswith(prefix) else None
                code = 404 if not user or user.startswith("Ugone") else 200
                out = json.dumps({"displayName": "住民", "userId": user, **platform.profiles.get(user or "", {})}
                                 if code == 200 else {"message": "Not found"}).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
                with platform._cond:
                    platform.calls.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                           "body": None, "raw": b"", "retry_key": None, "status": code, "accepted": True})
                    platform._cond.notify_all()

            def log_message(self, *args):  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _take(self, call: dict) -> tuple:
        for i, (match, action) in enumerate(self._plan):
            if match is None or match(call):
                del self._plan[i]
                return action
        return ("ok",)

    def fail(self, n: int = 1, status: int = 500, match=None) -> None:
        """The next n calls (matching match(call), if given) are answered with `status` (and not accepted)."""
        with self._cond:
            self._plan += [(match, ("status", status))] * n

    def stall(self, n: int = 1, seconds: float = 3.0, accept: bool = False, match=None) -> None:
        """The next n calls are answered only after `seconds` (a client with a shorter timeout gives up)."""
        with self._cond:
            self._plan += [(match, ("stall", seconds, accept))] * n

    def reset(self) -> None:
        with self._cond:
            self._plan.clear()

    def delivered(self, match) -> list[dict]:
        """Calls matching match(call) that LINE would have shown the user (accepted, not a 409)."""
        return [c for c in self.find(match) if c["accepted"] and c["status"] != 409]

    def find(self, match) -> list[dict]:
        with self._cond:
            return [c for c in self.calls if match(c)]

    def wait_for(self, match, count: int = 1, timeout_s: float = 20) -> list[dict]:
        """The calls satisfying match(call), once there are at least `count` (bounded wait)."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                found = [c for c in self.calls if match(c)]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self._cond.wait(left)

    def replies_to(self, reply_token: str, timeout_s: float = 20, count: int = 1) -> list[dict]:
        return self.wait_for(
            lambda c: c["path"] == "/v2/bot/message/reply" and (c["body"] or {}).get("replyToken") == reply_token,
            count, timeout_s,
        )

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class Services:
    def __init__(self, base: str, var: Path, proc: subprocess.Popen):
        self.base = base
        self.var = var
        self.proc = proc
        self.http = httpx.Client(base_url=base, timeout=60)

    def pid(self, name: str) -> int:
        return int((self.var / "run" / f"{name}.pid").read_text())

    def chat(self, text=None, sender=None, payload=None, lang=None) -> dict:
        body = {"sender": sender}
        if lang is not None:
            body["lang"] = lang
        if payload is not None:
            body["payload"] = payload
        else:
            body["text"] = text
        r = self.http.post("/api/chat", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    def wait_healthy(self, timeout_s: float = 300) -> None:
        """/healthz answers 200, after the supervisor saw every process answer once (run/ready)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"supervisor exited: {self.proc.returncode}")
            try:
                if (self.var / "run" / "ready").exists() and self.http.get("/healthz", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise TimeoutError("services did not become healthy")


@pytest.fixture(scope="session")
def line_platform():
    """A local stand-in for the LINE platform (records every call, answers 200 {})."""
    platform = LinePlatform()
    try:
        yield platform
    finally:
        platform.close()


@pytest.fixture(scope="session")
def services(line_platform):
    yield from run_services(line_platform)


def staff_token(env: dict) -> None:
    """An editor account with STAFF_TOKEN as its staff API token, made with the documented commands."""
    for command, stdin in ((["api.admin.create_user", "--login", "e2e-staff", "--name", "E2E", "--role", "editor"], None),
                           (["api.admin.create_token", "e2e-staff", "--days", "1", "--stdin"], STAFF_TOKEN + "\n")):
        done = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, input=stdin, capture_output=True, text=True,
                              env={**env, "MADOGUCHI_NEW_PASSWORD": "e2e staff password"}, timeout=120)
        assert done.returncode == 0, done.stderr


# One address (127.0.0.1) talks for every simulated resident: the per-client abuse limits
# (README "Security") are raised here, as an operator would for a load test.
RAISED_LIMITS = {f"MADOGUCHI_RATE_{group}": "100000/minute"
                 for group in ("CHAT", "SEARCH", "LINE", "LINE_USER", "LOGIN", "CONSOLE")}


# The live chat with staff (api/handover) whenever the tests run: open around the clock, holidays
# included; 税務課 takes no live chats (the out-of-hours path). Residents are offered it only
# while a staff member has the console's 職員チャット page open, which only its tests do.
LIVE_CHAT_HOURS = {"MADOGUCHI_HANDOVER_HOURS": "月-日 00:00-24:00", "MADOGUCHI_HANDOVER_CLOSED_DAYS": "",
                   "MADOGUCHI_HANDOVER_HOLIDAYS_CLOSED": "0",
                   "MADOGUCHI_HANDOVER_DEPARTMENT_HOURS": '{"税務課": ""}'}


def run_services(line_platform, scaled: int = 0, **settings: str):
    """The real stack on free ports with a temporary var/ (settings: extra environment; scaled:
    `run.py --scaled` with that many processes of each service)."""
    var = Path(tempfile.mkdtemp(prefix="madoguchi-e2e-"))
    api_port = free_port()
    env = dict(os.environ, LINE_CHANNEL_SECRET=LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN=LINE_TOKEN,
               LINE_API_BASE=line_platform.base, MADOGUCHI_VAR=str(var), **settings)
    env.setdefault("MADOGUCHI_EMBED_CACHE", str(ROOT / "var" / "cache" / "embeddings.sqlite"))
    env.setdefault("MADOGUCHI_DEMO", "1")  # the demo applications (as `make run`)
    env.pop("MADOGUCHI_STAFF_TOKEN", None)
    staff_token(env)
    for key, value in RAISED_LIMITS.items():
        env.setdefault(key, value)
    for key, value in LIVE_CHAT_HOURS.items():
        env.setdefault(key, value)
    if scaled:
        env.update(MADOGUCHI_API_WORKERS=str(scaled), MADOGUCHI_RASA_SERVERS=str(scaled),
                   MADOGUCHI_ACTION_SERVERS=str(scaled))
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "run.py"), "--api-port", str(api_port),
         "--internal-port", str(free_port()), "--rasa-port", str(free_ports(max(scaled, 1))),
         "--actions-port", str(free_ports(max(scaled, 1))), "--var", str(var), *(["--scaled"] if scaled else [])],
        cwd=ROOT, env=env, start_new_session=True,
    )
    svc = Services(f"http://127.0.0.1:{api_port}", var, proc)
    try:
        svc.wait_healthy()
        yield svc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        for log in (var / "logs").glob("*.log"):
            if "Traceback" in log.read_text(errors="replace"):
                print(f"--- {log.name} has a traceback ---\n{log.read_text(errors='replace')[-3000:]}")


# short, broad questions: the first the search is unsure about lands in "もしかして"
BROAD_QUESTIONS = ("証明書", "ごみ", "手続き", "子ども", "届け出", "申し込み", "手当", "保険")


def unsure_question(base: str) -> str:
    """A question the running search answers with choices (zone suggest), found through /api/faq/search."""
    for question in BROAD_QUESTIONS:
        if httpx.get(f"{base}/api/faq/search", params={"q": question}, timeout=30).json()["zone"] == "suggest":
            return question
    raise AssertionError(f"none of {BROAD_QUESTIONS} lands in もしかして")
