"""Console plumbing: templates, security headers, cookies, log-in/role/CSRF dependencies, error pages.

Every page is rendered by Jinja2 with autoescaping on for every template: texts from
residents and staff are always escaped; nothing here marks them safe.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session

from api.admin.accounts import Current, aware, csrf_ok, find_session
from api.admin.config import COOKIE_NAME, COOKIE_PATH, ROLE_LABELS, console_settings
from api.db import get_session
from api.tickets.service import STATUS_LABELS

TEMPLATES = Path(__file__).parent / "templates"
JST = dt.timezone(dt.timedelta(hours=9), "JST")
DB = Annotated[Session, Depends(get_session)]

SECURITY_HEADERS = {
    # no script at all; styles only from /admin/console.css
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
FORBIDDEN = "この操作を行う権限がありません。必要な場合は管理者に依頼してください。"
CSRF_FAILED = ("送信を受け付けられませんでした。ページの有効期限が切れた可能性があります。"
               "ページを開き直してから、もう一度操作してください。")


def _jst(value: dt.datetime | None) -> str:
    value = aware(value)
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M") if value else "—"


_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["jst"] = _jst
_env.globals.update(ROLE_LABELS=ROLE_LABELS, STATUS_LABELS=STATUS_LABELS,
                    CHANNEL_LABELS={"web": "Webチャット", "line": "LINE"})


# -- responses ------------------------------------------------------------------------
def _secure(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


def render(request: Request, template: str, current: Current | None = None, status_code: int = 200,
           **context) -> HTMLResponse:
    html = _env.get_template(template).render(request=request, current=current, **context)
    return _secure(HTMLResponse(html, status_code=status_code))


def redirect(url: str) -> RedirectResponse:
    return _secure(RedirectResponse(url, status_code=303))


def spreadsheet_cell(value) -> str:
    text = str(value)
    # a spreadsheet must not run a resident's (or an intruder's) text as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(filename: str, columns: list[str], rows) -> Response:
    """A CSV file for Excel: UTF-8 with a BOM (without it Excel reads Shift_JIS), CRLF lines."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return _secure(Response(("\ufeff" + buf.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                            headers=headers))


def set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="strict",
                        secure=console_settings().secure_cookies)


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict",
                           secure=console_settings().secure_cookies)


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def safe_next(value: str | None) -> str:
    """Where to go after logging in: only a console path of this site."""
    if value and value.startswith(COOKIE_PATH) and not value.startswith("//") and "\\" not in value \
            and all(ch.isprintable() for ch in value) and len(value) <= 500:
        return value
    return "/admin"


# -- errors ---------------------------------------------------------------------------
class LoginRequired(Exception):
    def __init__(self, next_path: str | None = None):
        super().__init__("login required")
        self.next_path = next_path


class ConsoleError(Exception):
    """Answered with a Japanese error page (403 forbidden, 404 not found, 409 conflict …)."""

    def __init__(self, status_code: int, message: str, current: Current | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.current = current


async def _login_required(request: Request, exc: LoginRequired) -> Response:
    url = "/admin/login"
    if exc.next_path and exc.next_path != "/admin":
        url += "?next=" + quote(exc.next_path, safe="/")
    return redirect(url)


async def _console_error(request: Request, exc: ConsoleError) -> Response:
    return render(request, "error.html", current=exc.current, status_code=exc.status_code, message=exc.message)


# -- dependencies ---------------------------------------------------------------------
def current_staff(request: Request, db: DB) -> Current:
    current = find_session(db, request.cookies.get(COOKIE_NAME))
    if current is None:
        raise LoginRequired(request.url.path if request.method == "GET" else None)
    return current


def _role(current: Current, needed: str) -> Current:
    if not current.may(needed):
        raise ConsoleError(403, FORBIDDEN, current)
    return current


def requires(needed: str, *, form: bool = False):
    """The logged-in staff member, who must hold at least role `needed`.

    With form=True (every POST): the form's csrf_token must be the session's, checked
    before anything else is read or changed.
    """
    if form:
        async def dependency(request: Request, current: Annotated[Current, Depends(current_staff)]) -> Current:
            submitted = (await request.form()).get("csrf_token")
            if not csrf_ok(current.csrf_token, submitted if isinstance(submitted, str) else None):
                raise ConsoleError(403, CSRF_FAILED, current)
            return _role(current, needed)
    else:
        def dependency(current: Annotated[Current, Depends(current_staff)]) -> Current:
            return _role(current, needed)
    return Depends(dependency)


def install(app: FastAPI) -> None:
    """Adds the console's pages and error pages to an app (the main app, or console_app)."""
    from api.admin.routes import router
    from api.admin.faqs import router as faqs_router
    from api.admin.applications import router as applications_router
    from api.admin.insights import router as insights_router
    from api.admin.audit import router as audit_router
    from api.admin.tokens_web import router as tokens_router
    from api.admin.gomi import router as gomi_router
    from api.admin.live import router as live_router

    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(ConsoleError, _console_error)
    app.include_router(router)
    app.include_router(faqs_router)
    app.include_router(insights_router)
    app.include_router(applications_router)
    app.include_router(audit_router)
    app.include_router(tokens_router)
    app.include_router(gomi_router)
    app.include_router(live_router)
