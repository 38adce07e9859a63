"""Runs madoguchi: the action server, the Rasa server and the api, under one supervisor.

Ctrl-C (or SIGTERM) stops all three. A service that dies is restarted, never given up on:
at once the first time, then after a delay that doubles on every quick failure (1 s … 60 s)
and starts again at 1 s once the service has run for a minute. Logs go to <var>/logs/
(each capped at MADOGUCHI_LOG_MAX_MB, with MADOGUCHI_LOG_BACKUPS older copies <name>.log.1 …),
process ids to <var>/run/. Used by `make run` and by the end-to-end tests (free ports,
a temporary var directory).

The api's address serves residents (and the staff API); the action server's internal api
(/internal/*) is on its own listener, 127.0.0.1:--internal-port, in the api's process.
Rasa's telemetry is off unless MADOGUCHI_RASA_TELEMETRY=1.

--scaled (`make run-scaled`): MADOGUCHI_API_WORKERS api processes sharing the api's address
(SO_REUSEPORT), MADOGUCHI_RASA_SERVERS Rasa servers and MADOGUCHI_ACTION_SERVERS action
servers (2/2/2), each supervised on its own; the api's data and Rasa's tracker store in
PostgreSQL (MADOGUCHI_DB_URL, MADOGUCHI_TRACKER_URL; default: this machine's, databases
`madoguchi` and `madoguchi_tracker`, created when missing), Redis (MADOGUCHI_REDIS_URL, default
this machine's) for Rasa's lock store, the rate-limit counters and the api processes' change
bus. docs/deploy.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_DELAY_S, MAX_DELAY_S = 1.0, 60.0  # restart back-off
HEALTHY_AFTER_S = 60.0  # a service that ran this long is restarted at once and its back-off reset
sys.path.insert(0, str(ROOT))


SCALED_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/madoguchi"
SCALED_TRACKER_DB = "postgresql://postgres@127.0.0.1:5432/madoguchi_tracker"
SCALED_REDIS = "redis://127.0.0.1:6379/0"


def ensure_database(url: str) -> None:
    """Creates a PostgreSQL database named by a URL when it is missing (other dialects: nothing)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    admin = create_engine(target.set(drivername="postgresql+psycopg", database="postgres"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).scalar() is None:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
                print(f"== created database {target.database}", flush=True)
    finally:
        admin.dispose()


def topology(args, settings, var: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The commands to supervise and the environment that ties them together: one of each
    service, or (args.scaled) settings.api_workers / rasa_servers / action_servers of them."""
    from sqlalchemy.engine import make_url

    from api.config import _secret

    bot_python = str(ROOT / ".venv-bot" / "bin" / "python")
    n_api, n_rasa, n_actions = ((settings.api_workers, settings.rasa_servers, settings.action_servers)
                                if args.scaled else (1, 1, 1))

    def name(kind: str, i: int) -> str:
        return f"{kind}-{i + 1}" if args.scaled else kind

    commands: dict[str, list[str]] = {}
    action_ports = [args.actions_port + i for i in range(n_actions)]
    rasa_ports = [args.rasa_port + i for i in range(n_rasa)]
    for i, port in enumerate(action_ports):
        commands[name("actions", i)] = [bot_python, "-m", "rasa_sdk", "--actions", "actions",
                                                   "--port", str(port)]
    for i, port in enumerate(rasa_ports):
        # Rasa through bot/serve.py: action calls to every action server, reply schema compiled once
        commands[name("rasa", i)] = [bot_python, "-m", "bot.serve", "run", "--model", args.model,
                                             "--interface", "127.0.0.1", "--port", str(port), "--credentials",
                                             "credentials.yml", "--endpoints", "endpoints.yml"]
    for i in range(n_api):
        # the api, its internal listener and (if configured) the console, in one process
        commands[name("api", i)] = [str(ROOT / ".venv" / "bin" / "python"), "-m", "api.serve", "--host",
                                           args.host, "--port", str(args.api_port), "--internal-port",
                                           str(args.internal_port), "--no-access-log",
                                           *(["--reuse-port"] if args.scaled else [])]
    webhooks = [f"http://127.0.0.1:{p}/webhook" for p in action_ports]
    env = {
        "MADOGUCHI_RASA_URL": ",".join(f"http://127.0.0.1:{p}" for p in rasa_ports),
        "MADOGUCHI_ACTIONS_URL": ",".join(f"http://127.0.0.1:{p}" for p in action_ports),
        "MADOGUCHI_ACTION_ENDPOINT": webhooks[0],
        "MADOGUCHI_ACTION_ENDPOINTS": ",".join(webhooks),
        "MADOGUCHI_TRACKER_DIALECT": settings.tracker_dialect,
        "MADOGUCHI_TRACKER_DB": settings.tracker_db or str(var / "rasa-tracker.db"),
        "MADOGUCHI_TRACKER_URL": settings.tracker_url,
        # Rasa's HTTP api (bot/serve.py) for the live chat's pause/resume, behind this token
        "MADOGUCHI_RASA_API_TOKEN": _secret(settings.rasa_api_token, var, "rasa_api_token"),
        "MADOGUCHI_LOCK_STORE": "in_memory",
        "MADOGUCHI_LOCK_REDIS_HOST": "", "MADOGUCHI_LOCK_REDIS_PORT": "", "MADOGUCHI_LOCK_REDIS_DB": "",
    }
    if args.scaled:
        redis_url = settings.redis_url or SCALED_REDIS
        redis = make_url(redis_url)
        env.update(
            MADOGUCHI_DB_URL=settings.database_url or SCALED_DB,
            MADOGUCHI_TRACKER_URL=settings.tracker_url or SCALED_TRACKER_DB,
            MADOGUCHI_REDIS_URL=redis_url,
            MADOGUCHI_LOCK_STORE="redis",
            MADOGUCHI_LOCK_REDIS_HOST=redis.host or "127.0.0.1",
            MADOGUCHI_LOCK_REDIS_PORT=str(redis.port or 6379),
            MADOGUCHI_LOCK_REDIS_DB=(redis.database or "0"),
            # a conversation's lock held by a Rasa server that died frees after this, not Rasa's
            # 60 s: the turn moved to another server waits no longer (turns take well under 1 s)
            TICKET_LOCK_LIFETIME=os.environ.get("TICKET_LOCK_LIFETIME", "10"),
        )
    return commands, env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_ready(url: str, procs: dict, timeout_s: float, workers: int = 1, also: tuple[str, ...] = ()) -> bool:
    """True once /healthz answers 200 from `workers` different api processes and every URL in
    `also` (each Rasa and action server: /healthz is content with one of each) answers 200."""
    deadline = time.monotonic() + timeout_s
    seen: set = set()
    pending = list(also)
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"!! {name} exited with code {proc.returncode} while starting", file=sys.stderr)
                return False
        pending = [u for u in pending if not _answers(u)]
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    seen.add(json.loads(resp.read()).get("worker"))
                    if len(seen) >= workers and not pending:
                        return True
                    if len(seen) < workers:
                        continue  # another connection may reach another api process
        except (urllib.error.URLError, OSError, ValueError):
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


def rotate(path: Path, max_bytes: int, backups: int) -> bool:
    """Size-capped rotation of a log a child keeps open in append mode: copy it to <name>.1
    (older copies shift up to <name>.<backups>), then truncate it in place (the child's next
    write lands at the new end). True when it rotated."""
    try:
        if path.stat().st_size <= max_bytes:
            return False
    except OSError:
        return False
    for n in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{n + 1}"))
    if backups > 0:
        shutil.copyfile(path, path.with_name(f"{path.name}.1"))
    with open(path, "r+b") as f:
        f.truncate(0)
    return True


class Supervisor:
    """Starts each command in a session of its own (its log appended to <logs>/<name>.log) and
    restarts whatever exits, with the back-off above; never gives up."""

    def __init__(self, commands: dict[str, list[str]], env: dict, logs: Path, run_dir: Path,
                 log_max_bytes: int = 10 * 2**20, log_backups: int = 5):
        self.commands, self.env, self.logs, self.run_dir = commands, env, logs, run_dir
        self.log_max_bytes, self.log_backups = log_max_bytes, log_backups
        self.procs: dict[str, subprocess.Popen] = {}
        self.started: dict[str, float] = {}
        self.delay: dict[str, float] = {name: 0.0 for name in commands}
        self.due: dict[str, float] = {}  # name -> when to start it again
        self.restarts: dict[str, int] = {name: 0 for name in commands}
        self._next_rotation = 0.0

    def start(self, name: str) -> None:
        with open(self.logs / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(self.commands[name], cwd=ROOT, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                start_new_session=True)
        self.started[name] = time.monotonic()
        (self.run_dir / f"{name}.pid").write_text(str(self.procs[name].pid))

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def tick(self) -> None:
        """One round: notice exits, schedule and make restarts, rotate logs."""
        now = time.monotonic()
        for name, proc in list(self.procs.items()):
            if name in self.due:
                if now >= self.due[name]:
                    del self.due[name]
                    self.restarts[name] += 1
                    self.start(name)
                continue
            if proc.poll() is None:
                continue
            ran = now - self.started[name]
            if ran >= HEALTHY_AFTER_S:
                self.delay[name] = 0.0  # it ran for a while: back at once
            wait = self.delay[name]
            self.delay[name] = min(max(wait * 2, FIRST_DELAY_S), MAX_DELAY_S)
            print(f"!! {name} exited with code {proc.returncode} after {ran:.0f} s; restarting"
                  + (f" in {wait:.0f} s" if wait else ""), file=sys.stderr, flush=True)
            self.due[name] = now + wait
            if not wait:
                del self.due[name]
                self.restarts[name] += 1
                self.start(name)
        if now >= self._next_rotation:
            self._next_rotation = now + 10
            for name in self.commands:
                rotate(self.logs / f"{name}.log", self.log_max_bytes, self.log_backups)

    def stop(self) -> None:
        _stop(self.procs)


def main() -> int:
    from api.config import _secret, read_settings  # the settings and secret files the api reads

    defaults = read_settings()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default=defaults.host, help="address of the api")
    ap.add_argument("--api-port", type=int, default=defaults.port)
    ap.add_argument("--internal-port", type=int, default=defaults.internal_port or 8010,
                    help="the action server's internal api, on 127.0.0.1 only")
    ap.add_argument("--rasa-port", type=int, default=5005)
    ap.add_argument("--actions-port", type=int, default=5055)
    ap.add_argument("--var", default=str(defaults.var_dir))
    ap.add_argument("--model", default=str(ROOT / "models" / "madoguchi.tar.gz"))
    ap.add_argument("--ready-timeout", type=float, default=300)
    ap.add_argument("--scaled", action="store_true",
                    help="several processes of each service on PostgreSQL and Redis (docs/deploy.md)")
    ap.add_argument("--demo", action=argparse.BooleanOptionalAction, default=defaults.demo,
                    help="seed the demo applications (default: MADOGUCHI_DEMO; `make run` turns it on)")
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
        MADOGUCHI_DEMO="1" if args.demo else "0",
        MADOGUCHI_INTERNAL_TOKEN=_secret(settings.internal_token, var, "internal_token"),
        MADOGUCHI_INTERNAL_PORT=str(args.internal_port),
        # the action server reaches the api's internal listener, never the residents' address
        MADOGUCHI_API_URL=f"http://127.0.0.1:{args.internal_port}",
        # no call home: Rasa reports usage (and errors) to its maker only when the operator opts in
        RASA_TELEMETRY_ENABLED="true" if settings.rasa_telemetry else "false",
        PYTHONPATH=str(ROOT),
        TF_CPP_MIN_LOG_LEVEL="3",
        SANIC_HOST="127.0.0.1",  # rasa-sdk's bind address: never expose the action server
        OPENBLAS_NUM_THREADS=env.get("OPENBLAS_NUM_THREADS", "1"),
        # Rasa's TensorFlow on one thread per prediction (Rasa reads these): its thread pools cost
        # more than they gave on 2 cores, 65 → 58 ms of Rasa's CPU a message and 14.9 → 16.2
        # msg/s at saturation (bench.load at 20 msg/s, README "Benchmarks")
        TF_INTRA_OP_PARALLELISM_THREADS=env.get("TF_INTRA_OP_PARALLELISM_THREADS", "1"),
        TF_INTER_OP_PARALLELISM_THREADS=env.get("TF_INTER_OP_PARALLELISM_THREADS", "1"),
    )
    # The staff console (/admin) is on the api's address, or on its own with MADOGUCHI_CONSOLE_PORT
    # (api.serve runs it in the api's process). Plain-http cookies only on loopback.
    console_port = settings.console_port
    console_host = settings.console_host if console_port else args.host
    if console_host == "127.0.0.1":
        env.setdefault("MADOGUCHI_INSECURE_COOKIES", "1")
    commands, wiring = topology(args, settings, var)
    env.update(wiring)
    if args.scaled:
        for url in (env["MADOGUCHI_DB_URL"], env["MADOGUCHI_TRACKER_URL"]):
            ensure_database(url)
    stopping = False
    run_dir = var / "run"
    run_dir.mkdir(exist_ok=True)
    ready_file = run_dir / "ready"  # written once every process answered: scripts and tests wait for it
    ready_file.unlink(missing_ok=True)
    supervisor = Supervisor(commands, env, logs, run_dir, log_max_bytes=int(settings.log_max_mb * 2**20),
                            log_backups=settings.log_backups)
    procs = supervisor.procs

    def _on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        supervisor.start_all()
        t0 = time.monotonic()
        print(f"== starting {', '.join(commands)} (api :{args.api_port}, rasa from :{args.rasa_port},"
              f" actions from :{args.actions_port}; internal 127.0.0.1:{args.internal_port}; logs in {logs})",
              flush=True)
        api_workers = sum(name.startswith("api") for name in commands)
        servers = tuple(f"{u}/" for u in env["MADOGUCHI_RASA_URL"].split(",")) + \
            tuple(f"{u}/health" for u in env["MADOGUCHI_ACTIONS_URL"].split(","))
        if not _wait_ready(f"{api_url}/healthz", procs, args.ready_timeout, api_workers, servers) and not stopping:
            for name in procs:
                print(f"--- {name}.log ---\n{_tail(logs / f'{name}.log')}", file=sys.stderr)
            print("!! madoguchi did not start", file=sys.stderr)
            return 1
        shown = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
        console_shown = "localhost" if console_host in ("127.0.0.1", "0.0.0.0") else console_host
        docs = (f"   API docs       http://{shown}:{args.api_port}/docs\n" if settings.api_docs else "")
        ready_file.write_text(str(os.getpid()))
        print(
            f"== madoguchi is up in {time.monotonic() - t0:.1f} s\n"
            f"   chat page      http://{shown}:{args.api_port}/\n"
            f"{docs}"
            f"   health         http://{shown}:{args.api_port}/healthz\n"
            f"   staff console  http://{console_shown}:{console_port or args.api_port}/admin"
            " (first admin: README, Staff console)\n"
            "   staff API      a token per account: .venv/bin/python -m api.admin.create_token LOGIN\n"
            "   Ctrl-C stops all services.",
            flush=True,
        )
        while not stopping:
            supervisor.tick()
            time.sleep(0.5)
        return 0
    finally:
        ready_file.unlink(missing_ok=True)
        supervisor.stop()
        print("== stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
