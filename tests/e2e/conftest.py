"""Starts the real services (scripts/run.py: action server, Rasa, api) on free ports."""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STAFF_TOKEN = "e2e-staff-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Services:
    def __init__(self, base: str, var: Path, proc: subprocess.Popen):
        self.base = base
        self.var = var
        self.proc = proc
        self.http = httpx.Client(base_url=base, timeout=60)

    def pid(self, name: str) -> int:
        return int((self.var / "run" / f"{name}.pid").read_text())

    def chat(self, text=None, sender=None, payload=None) -> dict:
        body = {"sender": sender}
        if payload is not None:
            body["payload"] = payload
        else:
            body["text"] = text
        r = self.http.post("/api/chat", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    def wait_healthy(self, timeout_s: float = 300) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"supervisor exited: {self.proc.returncode}")
            try:
                if self.http.get("/healthz", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise TimeoutError("services did not become healthy")


@pytest.fixture(scope="session")
def services():
    var = Path(tempfile.mkdtemp(prefix="madoguchi-e2e-"))
    api_port = free_port()
    env = dict(os.environ, MADOGUCHI_STAFF_TOKEN=STAFF_TOKEN)
    env.setdefault("MADOGUCHI_EMBED_CACHE", str(ROOT / "var" / "cache" / "embeddings.sqlite"))
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "run.py"), "--api-port", str(api_port),
         "--rasa-port", str(free_port()), "--actions-port", str(free_port()), "--var", str(var)],
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
