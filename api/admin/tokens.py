"""Staff API tokens: one or more per staff account, each with a role (at most the account's),
an expiry and an audit trail. Only the token's SHA-256 is stored; the token itself is shown
once, by `python -m api.admin.create_token`.

A request with a token acts as its account: the staff API's changes are audited with the
account's login (`audit_log`, details `{"via": "api", "token": <id>}`).
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.admin.accounts import AccountError, audit, aware, digest, may, normalize_login, now
from api.admin.config import ROLE_RANK
from api.admin.models import StaffToken, StaffUser

PREFIX = "mdg_"
MIN_TOKEN_CHARS = 32
MAX_TOKEN_CHARS = 200
MAX_DAYS = 366


@dataclass(frozen=True)
class StaffActor:
    """Who a staff API request acts as."""

    user_id: int
    login: str
    token_id: int
    role: str

    def may(self, needed: str) -> bool:
        return may(self.role, needed)

    def audit(self, session: Session, action: str, target: str, details: dict | None = None):
        """An audit row under the token's account (added to `session`; the caller commits)."""
        user = session.get(StaffUser, self.user_id)
        return audit(session, user or self.login, action, target,
                     {**(details or {}), "via": "api", "token": self.token_id})


def issue(session: Session, login: str, days: float, role: str | None = None, note: str = "",
          actor: StaffUser | str | None = None, value: str | None = None) -> tuple[str, StaffToken]:
    """A new token for the active account `login`, valid `days` days; `value` imports an existing
    secret (at least 32 characters: e.g. the retired shared MADOGUCHI_STAFF_TOKEN, so existing
    scripts keep working) instead of generating one. Returns the token and its row."""
    user = session.scalar(select(StaffUser).where(StaffUser.login == normalize_login(login)))
    if user is None or not user.active:
        raise AccountError(f"有効な職員アカウント {login} がありません。")
    role = role or user.role
    if role not in ROLE_RANK:
        raise AccountError(f"役割 {role} はありません。")
    if not may(user.role, role):
        raise AccountError(f"アカウントの役割（{user.role}）より強い役割のトークンは作れません。")
    if not 0 < days <= MAX_DAYS:
        raise AccountError(f"有効期間は1日から{MAX_DAYS}日までです。")
    token = value.strip() if value is not None else PREFIX + secrets.token_urlsafe(32)
    if not MIN_TOKEN_CHARS <= len(token) <= MAX_TOKEN_CHARS or any(c.isspace() for c in token):
        raise AccountError(f"トークンは空白なしの{MIN_TOKEN_CHARS}文字以上にしてください。")
    if session.scalar(select(StaffToken.id).where(StaffToken.token_hash == digest(token))) is not None:
        raise AccountError("このトークンは既に登録されています。")
    t = now()
    row = StaffToken(token_hash=digest(token), user_id=user.id, role=role, note=note[:100], created_at=t,
                     expires_at=t + dt.timedelta(days=days))
    session.add(row)
    session.flush()
    audit(session, actor, "token.create", user.login,
          {"token": row.id, "role": role, "expires_at": row.expires_at.isoformat(), "note": note[:100],
           "imported": value is not None})
    session.commit()
    return token, row


def find(session: Session, token: str | None) -> StaffActor | None:
    """The account a token acts as, or None (unknown, expired, revoked, account inactive)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    row = session.scalar(select(StaffToken).where(StaffToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    t = now()
    if aware(row.expires_at) <= t:
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        return None
    role = row.role if ROLE_RANK.get(row.role, 0) <= ROLE_RANK.get(user.role, 0) else user.role
    actor = StaffActor(user_id=user.id, login=user.login, token_id=row.id, role=role)
    if row.last_used_at is None or t - aware(row.last_used_at) > dt.timedelta(minutes=5):
        row.last_used_at = t  # kept coarse: one write per token every few minutes at most
        session.commit()
    return actor


def revoke(session: Session, token_id: int, actor: StaffUser | str | None = None) -> StaffToken:
    row = session.get(StaffToken, token_id)
    if row is None:
        raise AccountError(f"トークン {token_id} はありません。")
    if row.revoked_at is None:
        row.revoked_at = now()
        user = session.get(StaffUser, row.user_id)
        audit(session, actor, "token.revoke", user.login if user else "", {"token": row.id})
        session.commit()
    return row


def list_tokens(session: Session) -> list[tuple[StaffToken, str]]:
    rows = session.execute(select(StaffToken, StaffUser.login).join(StaffUser, StaffUser.id == StaffToken.user_id)
                           .order_by(StaffToken.id))
    return [(token, login) for token, login in rows]


def of_user(session: Session, user_id: int) -> list[StaffToken]:
    return list(session.scalars(select(StaffToken).where(StaffToken.user_id == user_id).order_by(StaffToken.id.desc())))


def state(token: StaffToken) -> str:
    """有効 / 期限切れ / 失効 (for the console)."""
    if token.revoked_at is not None:
        return "失効"
    return "期限切れ" if aware(token.expires_at) <= now() else "有効"
