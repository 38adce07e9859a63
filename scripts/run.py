"""Runs madoguchi: the action server, the Rasa server and the api, under one supervisor.

Ctrl-C (or SIGTERM) stops all three. A service that dies is restarted (a few times,
then the supervisor gives up and stops everything). Logs go to <var>/logs/, process
ids to <var>/run/. Used by `make run` and by the end-to-end tests (free ports,
a temporary var directory).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_RESTARTS = 5  # within 10 minutes, per service
sys.path.insert(0, str(ROOT))


def _wait_ready(url: str, procs: dict, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"!! {name} exited with code {proc.returncode} while starting", file=sys.stderr)
                return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    return False


def _stop(procs: dict) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 15
    for proc in procs.values():
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def main() -> int:
    from api.config import _secret, read_settings  # the settings and secret files the api reads

    defaults = read_settings()
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default=defaults.host, help="address of the api")
    ap.add_argument("--api-port", type=int, default=defaults.port)
    ap.add_argument("--rasa-port", type=int, default=5005)
    ap.add_argument("--actions-port", type=int, default=5055)
    ap.add_argument("--var", default=str(defaults.var_dir))
    ap.add_argument("--model", default=str(ROOT / "models" / "madoguchi.tar.gz"))
    ap.add_argument("--ready-timeout", type=float, default=300)
    args = ap.parse_args()

    var = Path(args.var).resolve()
    logs = var / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    os.environ["MADOGUCHI_VAR"] = str(var)
    settings = read_settings()
    api_url = f"http://127.0.0.1:{args.api_port}"
    env = dict(os.environ)
    env.update(
        MADOGUCHI_VAR=str(var),
        MADOGUCHI_INTERNAL_TOKEN=_secret(settings.internal_token, var, "internal_token"),
        MADOGUCHI_STAFF_TOKEN=_secret(settings.staff_token, var, "staff_token"),
        MADOGUCHI_API_URL=api_url,
        MADOGUCHI_RASA_URL=f"http://127.0.0.1:{args.rasa_port}",
        MADOGUCHI_ACTIONS_URL=f"http://127.0.0.1:{args.actions_port}",
        MADOGUCHI_ACTION_ENDPOINT=f"http://127.0.0.1:{args.actions_port}/webhook",
        MADOGUCHI_TRACKER_DIALECT=settings.tracker_dialect,
        MADOGUCHI_TRACKER_DB=settings.tracker_db or str(var / "rasa-tracker.db"),
        PYTHONPATH=str(ROOT),
        TF_CPP_MIN_LOG_LEVEL="3",
        SANIC_HOST="127.0.0.1",  # rasa-sdk's bind address: never expose the action server
        OPENBLAS_NUM_THREADS=env.get("OPENBLAS_NUM_THREADS", "1"),
    )
    # The staff console (/admin) is on the api's address, or on its own with MADOGUCHI_CONSOLE_PORT
    # (then api.admin.serve runs both in the api's process). Plain-http cookies only on loopback.
    console_port = settings.console_port
    console_host = settings.console_host if console_port else args.host
    if console_host == "127.0.0.1":
        env.setdefault("MADOGUCHI_INSECURE_COOKIES", "1")
    bot_bin = ROOT / ".venv-bot" / "bin"
    commands = {
        "actions": [str(bot_bin / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(args.actions_port)],
        "rasa": [str(bot_bin / "rasa"), "run", "--model", args.model, "--interface", "127.0.0.1",
                 "--port", str(args.rasa_port), "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
        "api": [str(ROOT / ".venv" / "bin" / "python"), "-m", "uvicorn", "api.main:app",
                "--host", args.host, "--port", str(args.api_port), "--no-access-log"],
    }
    if console_port:
        commands["api"] = [str(ROOT / ".venv" / "bin" / "python"), "-m", "api.admin.serve",
                           "--host", args.host, "--port", str(args.api_port), "--no-access-log"]
    procs: dict[str, subprocess.Popen] = {}
    restarts: dict[str, list[float]] = {name: [] for name in commands}
    stopping = False
    (var / "run").mkdir(exist_ok=True)

    def _start(name: str) -> None:
        log = open(logs / f"{name}.log", "ab")
        procs[name] = subprocess.Popen(commands[name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        (var / "run" / f"{name}.pid").write_text(str(procs[name].pid))

    def _on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        for name in commands:
            _start(name)
        t0 = time.monotonic()
        print(f"== starting actions :{args.actions_port}, rasa :{args.rasa_port}, api :{args.api_port} (logs in {logs})",
              flush=True)
        if not _wait_ready(f"{api_url}/healthz", procs, args.ready_timeout) and not stopping:
            for name in procs:
                print(f"--- {name}.log ---\n{_tail(logs / f'{name}.log')}", file=sys.stderr)
            print("!! madoguchi did not start", file=sys.stderr)
            return 1
        shown = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
        console_shown = "localhost" if console_host in ("127.0.0.1", "0.0.0.0") else console_host
        print(
            f"== madoguchi is up in {time.monotonic() - t0:.1f} s\n"
            f"   chat page      http://{shown}:{args.api_port}/\n"
            f"   API docs       http://{shown}:{args.api_port}/docs\n"
            f"   health         http://{shown}:{args.api_port}/healthz\n"
            f"   staff console  http://{console_shown}:{console_port or args.api_port}/admin"
            " (first admin: README, Staff console)\n"
            f"   staff token    {var / 'secrets' / 'staff_token'} (for /api/admin/faqs)\n"
            "   Ctrl-C stops all services.",
            flush=True,
        )
        while not stopping:
            for name, proc in list(procs.items()):
                if proc.poll() is None or stopping:
                    continue
                now = time.monotonic()
                restarts[name] = [t for t in restarts[name] if now - t < 600] + [now]
                if len(restarts[name]) > MAX_RESTARTS:
                    print(f"!! {name} keeps failing; stopping\n{_tail(logs / f'{name}.log')}", file=sys.stderr)
                    return 1
                print(f"!! {name} exited with code {proc.returncode}; restarting", file=sys.stderr, flush=True)
                _start(name)
            time.sleep(0.5)
        return 0
    finally:
        _stop(procs)
        print("== stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
