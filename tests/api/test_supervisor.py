"""scripts/run.py's supervisor: a killed service comes back, a failing one is retried with a
growing delay and never given up on, logs are rotated by size. (tests/e2e's
test_action_server_down_then_back kills the real action server.)"""
import importlib.util
import os
import signal
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(600)"]
CRASHER = [sys.executable, "-c", "import sys; print('failing', flush=True); sys.exit(3)"]


@pytest.fixture()
def run_py(monkeypatch):
    spec = importlib.util.spec_from_file_location("madoguchi_run", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "FIRST_DELAY_S", 0.2)
    monkeypatch.setattr(module, "MAX_DELAY_S", 0.8)
    monkeypatch.setattr(module, "HEALTHY_AFTER_S", 1.5)
    return module


@pytest.fixture()
def supervisor(run_py, tmp_path):
    made = []

    def make(commands, **kw):
        (tmp_path / "logs").mkdir(exist_ok=True)
        (tmp_path / "run").mkdir(exist_ok=True)
        sup = run_py.Supervisor(commands, dict(os.environ), tmp_path / "logs", tmp_path / "run", **kw)
        sup.start_all()
        made.append(sup)
        return sup

    yield make
    for sup in made:
        sup.stop()


def _tick_until(sup, done, timeout_s=15.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        sup.tick()
        if done():
            return True
        time.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_killed_service_comes_back(supervisor, tmp_path):
    sup = supervisor({"svc": SLEEPER, "other": SLEEPER})
    first = sup.procs["svc"].pid
    other = sup.procs["other"].pid
    assert int((tmp_path / "run" / "svc.pid").read_text()) == first
    os.kill(first, signal.SIGKILL)
    assert _tick_until(sup, lambda: sup.procs["svc"].pid != first and sup.procs["svc"].poll() is None)
    assert sup.restarts["svc"] == 1 and int((tmp_path / "run" / "svc.pid").read_text()) == sup.procs["svc"].pid
    assert sup.procs["other"].pid == other and _alive(other)  # the others are left alone
    os.kill(sup.procs["svc"].pid, signal.SIGKILL)  # and again: still back
    second = sup.procs["svc"].pid
    assert _tick_until(sup, lambda: sup.procs["svc"].pid != second and sup.procs["svc"].poll() is None)


def test_failing_service_is_retried_with_backoff_and_never_given_up(supervisor, run_py):
    sup = supervisor({"bad": CRASHER, "good": SLEEPER})
    starts = []
    real_start = sup.start

    def spy(name):
        starts.append((name, time.monotonic()))
        real_start(name)

    sup.start = spy
    assert _tick_until(sup, lambda: sum(1 for n, _ in starts if n == "bad") >= 7, timeout_s=20)
    times = [t for n, t in starts if n == "bad"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[0] < 0.5  # the first restart is at once
    assert max(gaps) >= run_py.MAX_DELAY_S * 0.9  # then it backs off …
    assert max(gaps) < run_py.MAX_DELAY_S + 0.5  # … up to the cap
    assert sup.delay["bad"] == run_py.MAX_DELAY_S
    assert sup.restarts["bad"] >= 7 and sup.procs["good"].poll() is None  # more than the old limit of 5


def test_service_that_ran_a_while_is_restarted_at_once(supervisor, run_py):
    sup = supervisor({"svc": SLEEPER})
    sup.delay["svc"] = run_py.MAX_DELAY_S  # as after many quick failures
    time.sleep(run_py.HEALTHY_AFTER_S + 0.1)
    pid = sup.procs["svc"].pid
    os.kill(pid, signal.SIGKILL)
    t0 = time.monotonic()
    assert _tick_until(sup, lambda: sup.procs["svc"].pid != pid)
    assert time.monotonic() - t0 < run_py.MAX_DELAY_S * 0.75
    assert sup.delay["svc"] == run_py.FIRST_DELAY_S  # the next quick failure waits the first delay


def test_logs_are_rotated_by_size(run_py, tmp_path):
    log = tmp_path / "api.log"
    writer = open(log, "ab")  # as a child holds it
    writer.write(b"x" * 2000)
    writer.flush()
    assert not run_py.rotate(log, 5000, 2)
    assert run_py.rotate(log, 1000, 2)
    assert log.stat().st_size == 0 and (tmp_path / "api.log.1").stat().st_size == 2000
    writer.write(b"after\n")  # the child's next line lands at the start of the emptied file
    writer.flush()
    assert log.read_bytes() == b"after\n"
    for _ in range(3):
        writer.write(b"y" * 1500)
        writer.flush()
        run_py.rotate(log, 1000, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.log", "api.log.1", "api.log.2"]  # at most 2 copies
    writer.close()


def test_supervisor_rotates_its_services_logs(supervisor, tmp_path):
    chatty = [sys.executable, "-c", "import sys, time\nfor _ in range(400): print('z' * 99, flush=True)\ntime.sleep(600)"]
    sup = supervisor({"chatty": chatty}, log_max_bytes=10_000, log_backups=1)
    # (no rotation of its own until asked: on a busy machine the child may take longer than the
    # supervisor's 10 s between rotations to write its 40 kB, which a rotation would then cut short)
    sup._next_rotation = float("inf")
    log = tmp_path / "logs" / "chatty.log"
    assert _tick_until(sup, lambda: log.stat().st_size >= 40_000)
    sup._next_rotation = 0
    sup.tick()
    assert log.stat().st_size < 10_000 and (tmp_path / "logs" / "chatty.log.1").stat().st_size >= 40_000
