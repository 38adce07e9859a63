"""Status look-ups: growing delays per sender, client and application number, a rate for
everyone together, and an alert for the console when failures spike.

Each try is counted *before* the birth date is compared, by one UPDATE per key that checks
the key's earliest next try (`next_at`) and moves it on in the same statement, all keys in
one transaction (rolled back when any key must wait): concurrent tries cannot slip between
a count and its check, as SQLite serialises writers and PostgreSQL re-checks the WHERE of a
row it waited for. A found application forgets its keys, so only wrong tries add up.

The first `lookup_max_failures` tries of a key are free (`lookup_client_max_failures` of a
client address, which several residents may share); each further one makes the next
wait `lookup_delay_s`, doubling up to `lookup_max_delay_s`. Someone guessing one number's
birth date gets a few tries an hour; the real applicant waits minutes, never a locked hour.
"""
from __future__ import annotations

import datetime as dt
import logging
import time

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from api import ratelimit
from api.applications.models import LookupAlert, LookupThrottle
from api.config import Settings, get_settings
from api.privacy import sender_key

log = logging.getLogger(__name__)


def keys(sender: str, client: str | None, number: str) -> list[str]:
    """The keys a try counts toward, each a keyed hash (the table holds no sender id)."""
    values = [("sender", sender), ("number", number)] + ([("client", client)] if client else [])
    return [f"{kind}:" + sender_key(f"{kind}:{value}")[:40] for kind, value in values]


def _free(key: str, s: Settings) -> int:
    # one client address may be many residents (a household, an office, a carrier's NAT)
    return s.lookup_client_max_failures if key.startswith("client:") else s.lookup_max_failures


def _hold(tries, s: Settings, free: int):
    """SQL: the wait after a key's `tries`-th try (0 for the free ones, then doubling, capped)."""
    base, cap = s.lookup_delay_s, s.lookup_max_delay_s
    whens = [(tries < free, 0.0)]
    for i in range(32):
        if base * 2 ** i >= cap:
            break
        whens.append((tries == free + i, base * 2 ** i))
    return case(*whens, else_=cap)


def _ensure(session: Session, key: str) -> None:
    values = {"key": key, "tries": 0, "next_at": 0.0, "last_at": 0.0}
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        session.execute(insert(LookupThrottle).values(**values).on_conflict_do_nothing())
    elif session.get(LookupThrottle, key) is None:
        session.add(LookupThrottle(**values))
        session.flush()


def claim(session: Session, claimed: list[str], s: Settings, now: float | None = None) -> float:
    """Counts a try toward every key; 0 when it may go ahead, else the seconds to wait (nothing counted)."""
    now = time.time() if now is None else now
    tries = case((LookupThrottle.last_at < now - s.lookup_window_s, 1), else_=LookupThrottle.tries + 1)
    for key in claimed:
        _ensure(session, key)
        free = _free(key, s)
        # a free try leaves next_at alone: a concurrent try that read the clock a moment
        # earlier must not find itself behind it
        next_at = case((tries < free, LookupThrottle.next_at), else_=now + _hold(tries, s, free))
        row = session.execute(
            update(LookupThrottle).where(LookupThrottle.key == key, LookupThrottle.next_at <= now)
            .values(tries=tries, next_at=next_at, last_at=now)
            .returning(LookupThrottle.tries).execution_options(synchronize_session=False)).first()
        if row is None:  # this key must wait: nothing of this try is kept
            session.rollback()
            latest = session.scalar(select(LookupThrottle.next_at).where(LookupThrottle.key.in_(claimed))
                                    .order_by(LookupThrottle.next_at.desc()).limit(1)) or now
            return max(1.0, latest - now)
    session.commit()
    return 0.0


def release(session: Session, claimed: list[str]) -> None:
    """The right birth date: the keys' tries are forgotten (the caller commits)."""
    session.execute(update(LookupThrottle).where(LookupThrottle.key.in_(claimed))
                    .values(tries=0, next_at=0.0).execution_options(synchronize_session=False))


def overall(s: Settings) -> float:
    """Look-ups of everyone together (the limiter's moving window); seconds to wait, or 0."""
    return ratelimit.current().hit(s.lookup_rate_all, "lookup", "*")


def failed(session: Session, s: Settings) -> None:
    """Counts a failure of anyone; past `lookup_alert` the spike is recorded for the console."""
    if not ratelimit.current().hit(s.lookup_alert, "lookup-failures"):
        return
    now = dt.datetime.now(dt.timezone.utc)
    items = ratelimit.parse_rates(s.lookup_alert)
    window = dt.timedelta(seconds=max((i.get_expiry() for i in items), default=600))
    latest = session.scalar(select(LookupAlert).order_by(LookupAlert.id.desc()).limit(1))
    if latest is not None and _aware(latest.last_at) >= now - window:  # the same spike goes on
        latest.failures += 1
        latest.last_at = now
    else:
        log.warning("status look-ups: failures past %s, an alert for the console", s.lookup_alert)
        session.add(LookupAlert(started_at=now, last_at=now, failures=1))
    session.commit()


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def recent_alerts(session: Session, hours: float = 24) -> list[LookupAlert]:
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours)
    return list(session.scalars(select(LookupAlert).where(LookupAlert.last_at >= since)
                                .order_by(LookupAlert.id.desc()).limit(10)))
