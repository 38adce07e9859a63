"""Console constants, and its settings as they are now (re-read on every use: cheap, and
lets an operator's or a test's change of the environment apply without a restart)."""
from __future__ import annotations

from api.config import Settings, read_settings

ROLES = ("admin", "editor", "viewer")
ROLE_LABELS = {"admin": "管理者", "editor": "編集者", "viewer": "閲覧者"}
# what each role may do: admin ⊇ editor ⊇ viewer
ROLE_RANK = {"viewer": 1, "editor": 2, "admin": 3}

COOKIE_NAME = "madoguchi_staff"
LOGIN_COOKIE_NAME = "madoguchi_login"  # the login form's CSRF token, before a session exists
COOKIE_PATH = "/admin"
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024


def console_settings() -> Settings:
    return read_settings()


def console_is_separate() -> bool:
    """True when MADOGUCHI_CONSOLE_PORT is set: /admin is then served only by api.admin.app:console_app."""
    return console_settings().console_port is not None
