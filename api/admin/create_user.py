"""Creates a staff account for the console: the first admin, or one more when nobody can log in.

    .venv/bin/python -m api.admin.create_user --login admin --name 管理者 --role admin

Asks for the password twice (not shown), or takes it from MADOGUCHI_NEW_PASSWORD (for
scripts; at least 12 characters). Refuses a login id that already exists. Uses the
api's database (MADOGUCHI_DB_URL, or var/madoguchi.db under MADOGUCHI_VAR) and writes
an audit row. Exit code 0 when created, 1 when refused.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from api.admin.accounts import AccountError, check_password, create_user
from api.admin.config import MIN_PASSWORD_CHARS, ROLES
from api.db import SessionLocal, init_db


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "cli"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m api.admin.create_user", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--login", required=True, help="login id (letters, digits, . _ @ -)")
    ap.add_argument("--name", required=True, help="display name, e.g. 管理者")
    ap.add_argument("--role", required=True, choices=ROLES)
    args = ap.parse_args(argv)
    try:
        password = os.environ.get("MADOGUCHI_NEW_PASSWORD")
        if password is None:
            password = getpass.getpass(f"パスワード（{MIN_PASSWORD_CHARS}文字以上）: ")
            check_password(password, getpass.getpass("パスワード（確認）: "))
        init_db()
        with SessionLocal() as session:
            user = create_user(session, args.login, args.name, args.role, password, actor=_who())
    except AccountError as exc:
        print(f"作成できませんでした: {exc}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\n中止しました。", file=sys.stderr)
        return 1
    print(f"職員アカウント {user.login}（{user.role}）を作成しました。/admin/login からログインできます。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
