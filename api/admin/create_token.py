"""Staff API tokens of staff accounts (the staff API: /api/admin/faqs, /api/admin/tickets).

    .venv/bin/python -m api.admin.create_token LOGIN [--days 90] [--role editor] [--note 'FAQ sync']
    .venv/bin/python -m api.admin.create_token LOGIN --days 90 --stdin < old_token   # import a token
    .venv/bin/python -m api.admin.create_token --list
    .venv/bin/python -m api.admin.create_token --revoke ID

Creating prints the new token once (only its SHA-256 is stored): use it as
`Authorization: Bearer <token>`. It acts as the account (audited with its login) with its role
(default: the account's; never more), until it expires (--days, at most 366) or is revoked, and
only while the account is active. --stdin registers an existing secret (at least 32 characters,
e.g. the retired shared MADOGUCHI_STAFF_TOKEN / var/secrets/staff_token) instead of generating one,
so existing scripts keep working. Uses the api's database, like create_user. Exit code 0 when done.
"""
from __future__ import annotations

import argparse
import sys

from api.admin.accounts import AccountError, aware
from api.admin.config import ROLES
from api.admin.create_user import _who
from api.admin.tokens import issue, list_tokens, revoke
from api.db import SessionLocal, init_db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m api.admin.create_token", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("login", nargs="?", help="the staff account the token acts as")
    ap.add_argument("--days", type=float, default=90)
    ap.add_argument("--role", choices=ROLES, help="default: the account's role")
    ap.add_argument("--note", default="", help="what the token is for")
    ap.add_argument("--stdin", action="store_true", help="register the token read from stdin")
    ap.add_argument("--list", action="store_true", help="list tokens (never the secrets)")
    ap.add_argument("--revoke", type=int, metavar="ID")
    args = ap.parse_args(argv)
    init_db()
    try:
        with SessionLocal() as session:
            if args.list:
                for token, login in list_tokens(session):
                    state = "revoked" if token.revoked_at else f"expires {aware(token.expires_at):%Y-%m-%d %H:%M}Z"
                    print(f"{token.id}\t{login}\t{token.role}\t{state}\t{token.note}")
                return 0
            if args.revoke is not None:
                revoke(session, args.revoke, actor=_who())
                print(f"トークン {args.revoke} を失効させました。")
                return 0
            if not args.login:
                ap.error("LOGIN, --list or --revoke")
            value = sys.stdin.readline().strip() if args.stdin else None
            token, row = issue(session, args.login, args.days, args.role, args.note, actor=_who(), value=value)
    except AccountError as exc:
        print(f"できませんでした: {exc}", file=sys.stderr)
        return 1
    print(f"# token {row.id} for {args.login} ({row.role}), valid until {aware(row.expires_at):%Y-%m-%d %H:%M} UTC;"
          " shown only now", file=sys.stderr)
    if not args.stdin:
        print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
