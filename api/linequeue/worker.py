"""The LINE queue's worker: an asyncio task in each api process (started in the app's lifespan).

It claims due jobs (api.linequeue.service), runs each with the handler of its kind, side by
side up to `concurrency`, renews their leases while they run, and records what each handler
answered. It polls every `poll_s`; work enqueued in its own process wakes it at once (wake()).
A job whose handler raises is retried with backoff like any failure.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import traceback
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

from api.linequeue.service import Claimed, Done, GiveUp, JobQueue, Policy, Retry

log = logging.getLogger(__name__)
Handler = Callable[[Claimed], Awaitable[Done | Retry | GiveUp]]

_current: "Worker | None" = None  # this process's worker (wake() finds it)


def new_owner() -> str:
    """A lease owner name that no other process (or restart of this one) has."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    def __init__(self, queue: JobQueue, handlers: dict[str, Handler], *, concurrency: int = 8,
                 poll_s: float = 1.0, owner: str | None = None, stop_grace_s: float = 5.0):
        self.queue = queue
        self.stop_grace_s = stop_grace_s
        self.handlers = handlers
        self.concurrency = concurrency
        self.poll_s = poll_s
        self.owner = owner or new_owner()
        self._running: dict[int, asyncio.Task] = {}
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """New work: look now rather than at the next poll. Safe from any thread."""
        if self._loop is not None and self._wake is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        renewer = asyncio.create_task(self._renew_leases(), name="line-queue-leases")
        try:
            while True:
                self._wake.clear()  # before claiming: a wake during the claim is not lost
                claimed = await self._claim()
                if claimed and len(self._running) < self.concurrency:
                    continue  # there may be more due
                # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation that
                # comes as the wake-up does, and the worker would then never stop
                try:
                    async with asyncio.timeout(self.poll_s):
                        await self._wake.wait()
                except TimeoutError:
                    pass
        finally:
            # a clean stop lets the jobs at hand finish for a moment (a reply cut off mid-call would be
            # pushed on the next try), then lets go of the rest for the next start
            running = list(self._running.values())
            if running:
                await asyncio.wait(running, timeout=self.stop_grace_s)
            renewer.cancel()
            for task in running:
                task.cancel()
            await asyncio.gather(renewer, *running, return_exceptions=True)
            try:
                await asyncio.to_thread(self.queue.release, self.owner)
            except SQLAlchemyError:  # the leases run out instead
                log.exception("LINE queue: could not release the jobs at stop")

    async def _claim(self) -> int:
        free = self.concurrency - len(self._running)
        if free <= 0:
            return 0
        try:
            jobs = await asyncio.to_thread(self.queue.claim, self.owner, free)
        except SQLAlchemyError:  # the database is back later; the jobs wait
            log.exception("LINE queue: claiming failed")
            return 0
        for job in jobs:
            task = asyncio.create_task(self._run_one(job), name=f"line-job-{job.id}")
            self._running[job.id] = task
            task.add_done_callback(lambda _t, job_id=job.id: self._done(job_id))
        return len(jobs)

    def _done(self, job_id: int) -> None:
        self._running.pop(job_id, None)
        if self._wake is not None:
            self._wake.set()  # a slot is free, and the lane's next job may now be due

    async def _run_one(self, job: Claimed) -> None:
        handler = self.handlers.get(job.kind)
        try:
            result = await handler(job) if handler else GiveUp(f"no handler for kind {job.kind!r}")
        except Exception as exc:
            # the exception's type and place only: its message may quote the payload (a resident's text)
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
            log.error("LINE job %d (%s) failed: %s at %s", job.id, job.kind, type(exc).__name__, where)
            result = Retry(f"{type(exc).__name__} at {where}")
        recording = asyncio.ensure_future(asyncio.to_thread(self.queue.finish, job, self.owner, result))
        try:
            await asyncio.shield(recording)
        except asyncio.CancelledError:  # stopping: the result is recorded before the jobs are let go
            await asyncio.gather(recording, return_exceptions=True)
            raise
        except SQLAlchemyError:  # not recorded: the lease runs out and the job is done again
            log.exception("LINE job %d: could not record its result", job.id)

    async def _renew_leases(self) -> None:
        every = max(0.05, self.queue.policy.lease_s / 3)
        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(self.queue.renew, self.owner, list(self._running))
            except SQLAlchemyError:
                log.exception("LINE queue: lease renewal failed")


def from_settings(settings, sessions, handlers: dict[str, Handler]) -> Worker:
    policy = Policy(lease_s=settings.line_lease_s, retry_base_s=settings.line_retry_base_s,
                    retry_max_s=settings.line_retry_max_s, give_up_s=settings.line_give_up_hours * 3600)
    return Worker(JobQueue(sessions, policy), handlers, concurrency=settings.line_queue_concurrency,
                  poll_s=settings.line_queue_poll_s)


def start(worker: Worker) -> asyncio.Task:
    """Runs the worker as this process's one (wake() reaches it)."""
    global _current
    _current = worker
    return asyncio.create_task(worker.run(), name="line-queue")


def stop() -> None:
    global _current
    _current = None


def wake() -> None:
    """Tells this process's worker that work was just committed (no-op without one)."""
    if _current is not None:
        _current.wake()
