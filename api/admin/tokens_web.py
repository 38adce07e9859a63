"""Staff API tokens in the console: on an account's page (admins only), its tokens with their
role, expiry, last use and state; issue one (shown once, on the page that answers the form) or
revoke one. The same rules and audit rows as `python -m api.admin.create_token`."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from api.admin import tokens
from api.admin.accounts import AccountError, Current
from api.admin.web import DB, ConsoleError, redirect, requires

router = APIRouter(prefix="/admin", include_in_schema=False)
AdminPost = Annotated[Current, requires("admin", form=True)]
FormText = Annotated[str, Form()]


@router.post("/users/{user_id}/tokens")
def token_create(request: Request, user_id: int, current: AdminPost, db: DB, days: FormText = "90",
                 role: FormText = "", note: FormText = "") -> Response:
    from api.admin.routes import _user, _user_page

    user = _user(db, user_id, current)
    try:
        value, row = tokens.issue(db, user.login, float(days or 0), role or None, note, actor=current.user)
    except (AccountError, ValueError) as exc:
        db.rollback()
        message = str(exc) if isinstance(exc, AccountError) else "有効期間は日数で入力してください。"
        return _user_page(request, current, user, status_code=422, error=message)
    # shown this once (only its SHA-256 is kept); the page is never cached
    return _user_page(request, current, user, new_token=value, new_token_id=row.id)


@router.post("/users/{user_id}/tokens/revoke")
def token_revoke(request: Request, user_id: int, current: AdminPost, db: DB, token_id: FormText = "") -> Response:
    from api.admin.routes import _user

    user = _user(db, user_id, current)
    row = next((t for t in tokens.of_user(db, user.id) if str(t.id) == token_id.strip()), None)
    if row is None:
        raise ConsoleError(404, "該当するトークンがありません。", current)
    tokens.revoke(db, row.id, actor=current.user)
    return redirect(f"/admin/users/{user.id}?done=token_revoked")
