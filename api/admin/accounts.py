"""Staff accounts: argon2 passwords, growing log-in delays, sessions and the audit log.

No web here: the pages (api.admin.routes) and the command line (api.admin.create_user)
both call these functions. Functions that change something commit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api.admin.config import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, ROLE_RANK, ROLES, console_settings
from api.admin.models import AuditLog, StaffSession, StaffUser
from api import ratelimit

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory parameters (64 MiB, 3 passes)
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


class AccountError(ValueError):
    """A request about accounts that cannot be done; str() is a Japanese message for people."""


class WrongPassword(AccountError):
    """The current password given to change it was wrong, or the account is locked (not told apart)."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


# -- checks ---------------------------------------------------------------------------
def normalize_login(login: str) -> str:
    return unicodedata.normalize("NFKC", login or "").strip().lower()


def check_login(login: str) -> str:
    value = normalize_login(login)
    if not _LOGIN.match(value):
        raise AccountError("ログインIDは2〜64文字の半角英数字（. _ @ - も可）で、英数字から始めてください。")
    return value


def check_name(name: str) -> str:
    value = " ".join(unicodedata.normalize("NFKC", name or "").split())
    if not value or len(value) > 100:
        raise AccountError("表示名は1〜100文字で入力してください。")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise AccountError("表示名に使えない文字が含まれています。")
    return value


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError("役割は admin・editor・viewer のいずれかを選んでください。")
    return role


def check_password(password: str, again: str | None = None) -> str:
    if again is not None and not hmac.compare_digest(password.encode(), again.encode()):
        raise AccountError("確認用のパスワードが一致しません。")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください。")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"パスワードは{MAX_PASSWORD_CHARS}文字以内にしてください。")
    if not password.strip():
        raise AccountError("空白だけのパスワードは使えません。")
    return password


def may(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, 0) >= ROLE_RANK[needed]


# -- passwords ------------------------------------------------------------------------
def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(24))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# -- audit ----------------------------------------------------------------------------
def audit(session: Session, actor: StaffUser | str | None, action: str, target: str = "",
          details: dict | None = None) -> AuditLog:
    """Adds an audit row to the session; the caller's commit stores it with the change."""
    if isinstance(actor, StaffUser):
        actor_id, name = actor.id, actor.login
    else:
        actor_id, name = None, (actor or "-")
    row = AuditLog(actor_id=actor_id, actor=name[:64], action=action, target=(target or "")[:200],
                   details=details or {}, at=now())
    session.add(row)
    return row


# -- users ----------------------------------------------------------------------------
def create_user(session: Session, login: str, name: str, role: str, password: str,
                actor: StaffUser | str | None) -> StaffUser:
    login, name, role = check_login(login), check_name(name), check_role(role)
    check_password(password)
    if session.scalar(select(StaffUser.id).where(StaffUser.login == login)) is not None:
        raise AccountError(f"ログインID {login} は既に使われています。")
    user = StaffUser(login=login, display_name=name, role=role, password_hash=hash_password(password),
                     active=True, failed_logins=0)
    session.add(user)
    session.flush()
    audit(session, actor, "user.create", login, {"role": role, "display_name": name})
    session.commit()
    return user


def list_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.login)))


def get_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise AccountError("該当する職員アカウントがありません。")
    return user


def deactivate_user(session: Session, user: StaffUser, actor: StaffUser) -> None:
    if user.id == actor.id:
        raise AccountError("自分自身のアカウントは無効にできません。")
    if not user.active:
        raise AccountError("このアカウントは既に無効です。")
    user.active = False
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))  # logged out everywhere
    audit(session, actor, "user.deactivate", user.login)
    session.commit()


def _set_password(session: Session, user: StaffUser, password: str, keep_session_id: int | None) -> None:
    """Stores a new password, lifts a lock-out and ends the user's sessions but the one kept.

    Whoever knew the old password may still be logged in elsewhere: those sessions end.
    """
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    stmt = delete(StaffSession).where(StaffSession.user_id == user.id)
    if keep_session_id is not None:
        stmt = stmt.where(StaffSession.id != keep_session_id)
    session.execute(stmt)


def reset_password(session: Session, user: StaffUser, password: str, again: str, actor: StaffUser,
                   keep_session_id: int | None = None) -> None:
    """An admin sets someone's password (their own too)."""
    check_password(password, again)
    _set_password(session, user, password, keep_session_id)
    audit(session, actor, "user.password_reset", user.login)
    session.commit()


def change_own_password(session: Session, current: Current, old: str, new: str, again: str,
                        client: str = "") -> None:
    """A staff member's new password, which only the holder of the current one may set.

    A wrong current password counts toward the same lock-out as a failed log-in (else a
    left-open session would allow unlimited guessing), and while the account is locked
    even the right one is refused, with the same WrongPassword either way.
    """
    user, t = current.user, now()
    ok = _verify(user.password_hash, old[:MAX_PASSWORD_CHARS])  # also when locked: the same time taken
    reason = "locked" if _locked(user, t) else (None if ok else "password")
    if reason is not None:
        _record_failure(session, user, t, "password.change_failure", reason, client)
        raise WrongPassword()
    check_password(new, again)
    if hmac.compare_digest(old.encode(), new.encode()):
        raise AccountError("新しいパスワードは、現在のパスワードと違うものにしてください。")
    _set_password(session, user, new, keep_session_id=current.session.id)
    audit(session, user, "password.change", user.login, {"client": client})
    session.commit()


# -- logging in -----------------------------------------------------------------------
def _locked(user: StaffUser, t: dt.datetime) -> bool:
    until = aware(user.locked_until)
    return until is not None and until > t


def _record_failure(session: Session, user: StaffUser, t: dt.datetime, action: str, reason: str,
                    client: str) -> None:
    """Audits a refused password; a wrong one also counts toward the lock-out."""
    details = {"reason": reason, "client": client}
    if reason == "password":
        details.update(_count_failure(session, user, t))
    audit(session, user, action, user.login, details)
    session.commit()


def login_delay(failures: int) -> float:
    """Seconds the account waits after `failures` wrong passwords in a row: none for the first
    max_failed_logins - 1, then login_delay_s doubling with each one, at most lockout_minutes.
    A wait that grows rather than a long lock: anyone who knows a login id can cause it."""
    cfg = console_settings()
    if failures < cfg.max_failed_logins:
        return 0.0
    return min(cfg.lockout_minutes * 60, cfg.login_delay_s * 2 ** min(failures - cfg.max_failed_logins, 32))


def _count_failure(session: Session, user: StaffUser, t: dt.datetime) -> dict:
    """Counts one wrong password; past the limit the account waits. Returns details for the audit row."""
    # counted in the database, so two requests at once cannot both miss an increment
    session.execute(update(StaffUser).where(StaffUser.id == user.id)
                    .values(failed_logins=StaffUser.failed_logins + 1))
    session.refresh(user)
    delay = login_delay(user.failed_logins)
    if not delay:
        return {}
    user.locked_until = t + dt.timedelta(seconds=delay)
    return {"locked_until": user.locked_until.isoformat(), "delay_s": delay}


def _client_backoff() -> ratelimit.Backoff:
    """One client's failed log-ins, whatever the account: its own doubling delays (kept in the
    limiter's storage), so one address cannot try account after account."""
    cfg = console_settings()
    return ratelimit.Backoff("login-client", cfg.client_max_failed_logins, cfg.login_delay_s,
                             cfg.lockout_minutes * 60)


def _client_failed(session: Session, client: str, login: str) -> None:
    if not client:
        return
    delay = _client_backoff().failed(ratelimit.client_tag(client))
    if delay:  # one row when a delay starts; the refused tries while it runs write none
        audit(session, None, "login.client_delay", login, {"client": client, "delay_s": delay})
        session.commit()


def authenticate(session: Session, login: str, password: str, client: str = "") -> StaffUser | None:
    """The user when login and password are right and the account is active and not locked.

    Every failure looks the same to the caller and costs one argon2 verification
    (against a dummy hash for unknown ids), so neither the answer nor its timing
    tells whether an account exists. From `max_failed_logins` failures in a row on, the
    account waits a growing delay (login_delay); while it waits even the right password
    fails. A client with many failures (any account) waits too, refused without a hash.
    """
    key = normalize_login(login)[:64]
    password = password[:MAX_PASSWORD_CHARS]
    t = now()
    if client and _client_backoff().wait(ratelimit.client_tag(client)) > 0:
        return None  # this client waits: no hash computed, nothing written
    user = session.scalar(select(StaffUser).where(StaffUser.login == key)) if key else None
    if user is None:
        _verify(_dummy_hash(), password)
        # rows for ids that do not exist are capped for all clients together: a flood of
        # made-up ids must not fill the audit log
        if not ratelimit.current().hit(console_settings().unknown_login_audit, "audit-unknown-login"):
            audit(session, None, "login.failure", key, {"reason": "unknown", "client": client})
            session.commit()
        _client_failed(session, client, key)
        return None
    ok = _verify(user.password_hash, password)
    reason = None
    if _locked(user, t):
        reason = "locked"
    elif not user.active:
        reason = "inactive"
    elif not ok:
        reason = "password"
    if reason is not None:
        _record_failure(session, user, t, "login.failure", reason, client)
        _client_failed(session, client, user.login)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = t
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit(session, user, "login.success", user.login, {"client": client})
    session.commit()
    return user


# -- sessions -------------------------------------------------------------------------
def digest(token: str) -> str:
    """What is stored of a session or API token: its SHA-256 (the token itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Current:
    """The logged-in user of a request and their session."""

    user: StaffUser
    session: StaffSession

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token

    def may(self, needed: str) -> bool:
        return may(self.user.role, needed)


def start_session(session: Session, user: StaffUser) -> tuple[str, StaffSession]:
    """A new session; returns the cookie's token (only its hash is stored) and the row."""
    t = now()
    session.execute(delete(StaffSession).where(StaffSession.expires_at < t))  # tidy up
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_hash=digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                       created_at=t, expires_at=t + dt.timedelta(hours=console_settings().session_hours))
    session.add(row)
    session.commit()
    return token, row


def find_session(session: Session, token: str | None) -> Current | None:
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == digest(token)))
    if row is None:
        return None
    if aware(row.expires_at) <= now():
        session.delete(row)
        session.commit()
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        return None
    return Current(user=user, session=row)


def end_session(session: Session, current: Current) -> None:
    session.execute(delete(StaffSession).where(StaffSession.id == current.session.id))
    audit(session, current.user, "logout", current.user.login)
    session.commit()


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())
