"""Console settings, read from the environment on every use (cheap; lets tests change them)."""
from __future__ import annotations

import os
from dataclasses import dataclass

ROLES = ("admin", "editor", "viewer")
ROLE_LABELS = {"admin": "管理者", "editor": "編集者", "viewer": "閲覧者"}
# what each role may do: admin ⊇ editor ⊇ viewer
ROLE_RANK = {"viewer": 1, "editor": 2, "admin": 3}

COOKIE_NAME = "madoguchi_staff"
LOGIN_COOKIE_NAME = "madoguchi_login"  # the login form's CSRF token, before a session exists
COOKIE_PATH = "/admin"
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class ConsoleSettings:
    session_hours: float = 8.0
    secure_cookies: bool = True
    max_failed_logins: int = 5
    lockout_minutes: float = 15.0
    console_host: str = "127.0.0.1"
    console_port: int | None = None  # None: /admin is served by the main app


def console_settings() -> ConsoleSettings:
    port = os.environ.get("MADOGUCHI_CONSOLE_PORT", "").strip()
    return ConsoleSettings(
        session_hours=float(os.environ.get("MADOGUCHI_STAFF_SESSION_HOURS", "8")),
        secure_cookies=not _flag("MADOGUCHI_INSECURE_COOKIES"),
        max_failed_logins=int(os.environ.get("MADOGUCHI_STAFF_MAX_FAILED_LOGINS", "5")),
        lockout_minutes=float(os.environ.get("MADOGUCHI_STAFF_LOCKOUT_MINUTES", "15")),
        console_host=os.environ.get("MADOGUCHI_CONSOLE_HOST", "").strip() or "127.0.0.1",
        console_port=int(port) if port else None,
    )


def console_is_separate() -> bool:
    """True when MADOGUCHI_CONSOLE_PORT is set: /admin is then served only by api.admin.app:console_app."""
    return console_settings().console_port is not None
