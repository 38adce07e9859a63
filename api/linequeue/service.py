"""The LINE queue's database half: enqueue (in the caller's transaction), claim, finish.

A transactional outbox: whoever causes LINE work (the webhook taking an event in, a staff
answer, an application status change) adds the job in the same transaction as the change
itself, so the job exists exactly when the change does. Workers (api.linequeue.worker, one in
each api process) claim due jobs with a conditional UPDATE — a compare-and-set on status and
lease that only one worker can win, on SQLite (one writer at a time) as on PostgreSQL (the
second UPDATE re-checks the row after the first commits) — and hold them under a lease that
they renew while working; a job whose lease ran out (its process died) is claimed again.

Only the first waiting job of a lane can be claimed: one LINE user's events are answered one
at a time, in the order they came, and their deliveries too.

Payloads hold what residents typed (an event's text must reach Rasa as typed: a birth date for the
status check) and the bot's answers, so they are stored sealed (Fernet, with the tracker store's
key: MADOGUCHI_TRACKER_KEY or var/secrets/tracker_key), never in clear, and only until the job is
done (deleted) or given up (payload cleared).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from api.linequeue.models import WAITING, LineJob
from api.privacy import sender_key

log = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(t: dt.datetime) -> dt.datetime:
    """SQLite gives stored times back without their zone; they are UTC."""
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    from trackerstore.masking import tracker_key

    return Fernet(tracker_key())


def seal(payload: dict) -> dict:
    return {"sealed": _fernet().encrypt(json.dumps(payload, ensure_ascii=False).encode()).decode()}


def unseal(stored: dict | None) -> dict:
    """The payload as it was enqueued (cryptography.fernet.InvalidToken if the key changed since)."""
    if not stored:
        return {}
    return json.loads(_fernet().decrypt(stored["sealed"].encode()))


# ---------------------------------------------------------------- what a handler answers


@dataclass
class Done:
    """The job is done: it is deleted, `follow` jobs are added and `also(session)` runs, all in one commit."""
    follow: list[LineJob] = field(default_factory=list)
    also: Callable[[Session], None] | None = None


@dataclass
class Retry:
    """Try again after the backoff (or give up once the job is older than the give-up time)."""
    error: str


@dataclass
class GiveUp:
    """No point in trying again (LINE refused the request itself)."""
    error: str


@dataclass(frozen=True)
class Claimed:
    """A claimed job as the handler sees it (no session attached)."""
    id: int
    kind: str
    lane: str
    stored: dict | None  # sealed
    retry_key: str | None
    attempts: int  # this claim included: 1 on the first try
    created_at: dt.datetime

    @property
    def payload(self) -> dict:
        return unseal(self.stored)


@dataclass(frozen=True)
class Policy:
    lease_s: float = 30.0
    retry_base_s: float = 2.0
    retry_max_s: float = 300.0
    give_up_s: float = 24 * 3600.0

    def backoff(self, attempts: int) -> float:
        """Exponential, with jitter so that several processes do not retry in step."""
        full = min(self.retry_max_s, self.retry_base_s * 2 ** max(0, attempts - 1))
        return random.uniform(full / 2, full)


# ---------------------------------------------------------------- enqueue (caller's session and commit)


def new_job(kind: str, lane: str, payload: dict, retry_key: bool = False) -> LineJob:
    return LineJob(kind=kind, lane=lane, payload=seal(payload), status="queued", attempts=0, next_at=_now(),
                   created_at=_now(), retry_key=str(uuid.uuid4()) if retry_key else None)


def enqueue(session: Session, job: LineJob) -> LineJob:
    """Adds the job to the caller's transaction: it is stored by the caller's commit, or not at all."""
    session.add(job)
    return job


# ---------------------------------------------------------------- the workers' side


class JobQueue:
    def __init__(self, sessions: sessionmaker, policy: Policy | None = None):
        self.sessions = sessions
        self.policy = policy or Policy()

    @staticmethod
    def _due(now: dt.datetime):
        earlier = aliased(LineJob)
        blocked = exists().where(earlier.lane == LineJob.lane, earlier.id < LineJob.id, earlier.status.in_(WAITING))
        free = or_(and_(LineJob.status == "queued", LineJob.next_at <= now),
                   and_(LineJob.status == "running", LineJob.lease_until < now))
        return and_(free, ~blocked)

    def claim(self, owner: str, limit: int, now: dt.datetime | None = None) -> list[Claimed]:
        """Up to `limit` due jobs, each the first waiting one of its lane, leased to `owner`."""
        now = now or _now()
        won: list[int] = []
        with self.sessions() as s:
            candidates = s.scalars(select(LineJob.id).where(self._due(now)).order_by(LineJob.id).limit(limit)).all()
            for job_id in candidates:
                # the same condition again, in the UPDATE itself: only one claimant's row count is 1
                done = s.execute(update(LineJob).where(LineJob.id == job_id, self._due(now)).values(
                    status="running", lease_owner=owner, lease_until=now + dt.timedelta(seconds=self.policy.lease_s),
                    attempts=LineJob.attempts + 1).execution_options(synchronize_session=False))
                if done.rowcount == 1:
                    won.append(job_id)
            rows = s.scalars(select(LineJob).where(LineJob.id.in_(won)).order_by(LineJob.id)).all() if won else []
            out = [Claimed(r.id, r.kind, r.lane, r.payload, r.retry_key, r.attempts, _aware(r.created_at))
                   for r in rows]
            s.commit()
        return out

    def renew(self, owner: str, ids: list[int], now: dt.datetime | None = None) -> int:
        """Extends the leases of the jobs this worker is still working on."""
        if not ids:
            return 0
        now = now or _now()
        with self.sessions() as s:
            n = s.execute(update(LineJob).where(LineJob.id.in_(ids), LineJob.lease_owner == owner,
                                                LineJob.status == "running")
                          .values(lease_until=now + dt.timedelta(seconds=self.policy.lease_s))
                          .execution_options(synchronize_session=False)).rowcount
            s.commit()
        return n

    def release(self, owner: str) -> int:
        """On a clean stop: this worker's running jobs are claimable again at once."""
        with self.sessions() as s:
            n = s.execute(update(LineJob).where(LineJob.lease_owner == owner, LineJob.status == "running")
                          .values(status="queued", lease_owner=None, lease_until=None)
                          .execution_options(synchronize_session=False)).rowcount
            s.commit()
        return n

    def finish(self, job: Claimed, owner: str, result: Done | Retry | GiveUp, now: dt.datetime | None = None) -> bool:
        """Records the handler's result; False when the lease was lost meanwhile (another worker has the job)."""
        now = now or _now()
        mine = and_(LineJob.id == job.id, LineJob.lease_owner == owner, LineJob.status == "running")
        if isinstance(result, Retry) and now - job.created_at > dt.timedelta(seconds=self.policy.give_up_s):
            result = GiveUp(f"{result.error} (still failing after {self.policy.give_up_s / 3600:g} h)")
        with self.sessions() as s:
            if isinstance(result, Done):
                n = s.execute(delete(LineJob).where(mine).execution_options(synchronize_session=False)).rowcount
                if n == 1:
                    for follow in result.follow:
                        s.add(follow)
                    if result.also is not None:
                        result.also(s)
            elif isinstance(result, Retry):
                n = s.execute(update(LineJob).where(mine).values(
                    status="queued", lease_owner=None, lease_until=None, last_error=result.error[:300],
                    next_at=now + dt.timedelta(seconds=self.policy.backoff(job.attempts)))
                    .execution_options(synchronize_session=False)).rowcount
            else:
                n = s.execute(update(LineJob).where(mine).values(
                    status="failed", payload=None, lane=sender_key(job.lane), lease_owner=None, lease_until=None,
                    finished_at=now, last_error=result.error[:300]).execution_options(synchronize_session=False)).rowcount
                if n == 1:
                    log.warning("LINE job %d (%s) given up after %d attempt(s): %s", job.id, job.kind, job.attempts,
                                result.error)
            if n != 1:
                s.rollback()
                log.warning("LINE job %d: lease lost before it was finished; another worker has it", job.id)
                return False
            s.commit()
        if isinstance(result, Retry):
            log.info("LINE job %d (%s) attempt %d failed, will retry: %s", job.id, job.kind, job.attempts,
                     result.error)
        return True


def counts(session: Session) -> dict[str, int]:
    """Jobs waiting (queued or running) and given up: shown in /healthz, so a failure is never silent."""
    rows = dict(session.execute(select(LineJob.status, func.count()).group_by(LineJob.status)).all())
    return {"waiting": rows.get("queued", 0) + rows.get("running", 0), "failed": rows.get("failed", 0)}


def lanes_of(user_id: str) -> list[str]:
    """Every lane of one LINE user, raw and as the keyed hash a given-up job keeps (api.retention.forget)."""
    raw = [f"{kind}:{user_id}" for kind in ("event", "reply", "push")]
    return raw + [sender_key(lane) for lane in raw]
