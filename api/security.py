"""Bearer-token checks for the staff api and the action server's internal api."""
from __future__ import annotations

import hmac

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.config import get_settings

_bearer = HTTPBearer(auto_error=False)


def _check(creds: HTTPAuthorizationCredentials | None, expected: str) -> None:
    if creds is None or not hmac.compare_digest(creds.credentials.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="認証が必要です。",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_staff(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    _check(creds, get_settings().staff_token)


def require_internal(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    _check(creds, get_settings().internal_token)
