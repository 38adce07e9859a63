"""Bearer-token checks for the staff api and the action server's internal api.

Staff API: a token of a staff account (api.admin.tokens; `python -m api.admin.create_token`),
with the account's role or less, an expiry, and audit rows under the account's login.
Internal api: the action server's shared token (MADOGUCHI_INTERNAL_TOKEN), on the internal
listener only (api.internal)."""
from __future__ import annotations

import hmac

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.config import get_settings

_bearer = HTTPBearer(auto_error=False)


def _unauthorized() -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail="認証が必要です。",
                         headers={"WWW-Authenticate": "Bearer"})


def _check(creds: HTTPAuthorizationCredentials | None, expected: str) -> None:
    if creds is None or not hmac.compare_digest(creds.credentials.encode(), expected.encode()):
        raise _unauthorized()


def _staff(creds: HTTPAuthorizationCredentials | None, needed: str):
    from api.admin.tokens import find
    from api.db import SessionLocal

    if creds is None:
        raise _unauthorized()
    with SessionLocal() as session:
        actor = find(session, creds.credentials)
    if actor is None:
        raise _unauthorized()
    if not actor.may(needed):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="この操作をする権限がありません。")
    return actor


def require_staff(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)):
    """Any valid staff token (viewer and up): read access. Returns the StaffActor."""
    return _staff(creds, "viewer")


def require_editor(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)):
    """A staff token with the editor role or more: changes. Returns the StaffActor."""
    return _staff(creds, "editor")


def require_internal(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    _check(creds, get_settings().internal_token)
