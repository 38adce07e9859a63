"""The console's pages under /admin: log-in, dashboard, tickets, staff accounts, one's own password."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from api.admin import accounts
from api.admin.accounts import AccountError, Current
from api.admin.config import COOKIE_NAME, LOGIN_COOKIE_NAME, ROLES, console_settings
from api.admin.paging import Pager
from api.admin.web import (
    DB, CSRF_FAILED, ConsoleError, clear_cookie, new_login_token, redirect, render, requires, safe_next,
    set_cookie,
)
from api import ratelimit
from api.applications import throttle
from api.config import get_settings
from api.tickets import service as tickets
from api.tickets.models import Ticket
from api.tickets.schemas import AnswerIn

router = APIRouter(prefix="/admin", include_in_schema=False)
CSS = Path(__file__).parent / "static" / "console.css"

Viewer = Annotated[Current, requires("viewer")]
Admin = Annotated[Current, requires("admin")]
ViewerPost = Annotated[Current, requires("viewer", form=True)]
EditorPost = Annotated[Current, requires("editor", form=True)]
AdminPost = Annotated[Current, requires("admin", form=True)]
FormText = Annotated[str, Form()]

LOGIN_FAILED = ("ログインできませんでした。ログインIDとパスワードを確かめてください。"
                "続けて{n}回間違えると、しばらく待たないとログインできなくなります"
                "（間違えるたびに待ち時間が長くなり、最長{m}分です）。")
# as little as a failed log-in tells: a waiting account gets the very same text
CHANGE_REFUSED = ("パスワードを変更できませんでした。現在のパスワードを確かめてください。"
                  "続けて{n}回間違えると、しばらく待たないとログインできなくなります"
                  "（間違えるたびに待ち時間が長くなり、最長{m}分です）。")
TICKET_NOT_FOUND = "該当する受付番号が見つかりません。"
TICKET_CLOSED = "この問い合わせは対応を終了しているため、回答できません。"
NOTICES = {  # fixed texts only: nothing from the query string is shown
    "logged_out": "ログアウトしました。",
    "answered": "回答を保存しました。住民の方がWebチャットを次に開いたときに届きます。",
    "answered_line": "回答を保存しました。LINEでお送りします（LINEにつながらない間は、届くまで自動で送り直します）。",
    "closed": "対応を終了しました。",
    "created": "職員アカウントを作成しました。",
    "deactivated": "アカウントを無効にしました。",
    "password": "パスワードを再設定しました。",
    "password_changed": "パスワードを変更しました。ほかの端末や画面でのログインは終了しました。",
    "token_revoked": "APIトークンを失効させました。",
    "department": "担当課を保存しました。",
}


def _notice(code: str | None) -> str | None:
    return NOTICES.get(code or "")


def _client(request: Request) -> str:
    return ratelimit.client_address(request)  # behind a trusted proxy: the forwarded address


@router.get("/console.css")
def console_css() -> Response:
    return FileResponse(CSS, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=300"})


# -- log-in ---------------------------------------------------------------------------
def _login_page(request: Request, token: str, next_path: str, status_code: int = 200, error: str | None = None,
                login: str = "", notice: str | None = None) -> Response:
    response = render(request, "login.html", status_code=status_code, csrf_token=token, next_path=next_path,
                      error=error, login=login, notice=notice)
    set_cookie(response, LOGIN_COOKIE_NAME, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, db: DB, next: str | None = None, done: str | None = None) -> Response:
    if accounts.find_session(db, request.cookies.get(COOKIE_NAME)) is not None:
        return redirect(safe_next(next))
    token = request.cookies.get(LOGIN_COOKIE_NAME) or ""
    if not (20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum()):
        token = new_login_token()
    return _login_page(request, token, safe_next(next), notice=_notice(done))


@router.post("/login")
def login(request: Request, db: DB, login: FormText = "", password: FormText = "", csrf_token: FormText = "",
          next: FormText = "") -> Response:
    if not accounts.csrf_ok(request.cookies.get(LOGIN_COOKIE_NAME), csrf_token):
        raise ConsoleError(403, CSRF_FAILED)
    user = accounts.authenticate(db, login, password, _client(request))
    if user is None:
        cfg = console_settings()
        message = LOGIN_FAILED.format(n=cfg.max_failed_logins, m=int(cfg.lockout_minutes))
        return _login_page(request, new_login_token(), safe_next(next), status_code=401, error=message,
                           login=login[:64])
    previous = accounts.find_session(db, request.cookies.get(COOKIE_NAME))
    if previous is not None:  # a fresh token at every log-in
        db.delete(previous.session)
    token, _ = accounts.start_session(db, user)
    response = redirect(safe_next(next))
    set_cookie(response, COOKIE_NAME, token, max_age=int(console_settings().session_hours * 3600))
    clear_cookie(response, LOGIN_COOKIE_NAME)
    return response


@router.post("/logout")
def logout(current: ViewerPost, db: DB) -> Response:
    from api.handover.service import staff_left

    staff_left(db, current.user.id)  # no longer taking live chats: theirs go to colleagues or become tickets
    accounts.end_session(db, current)
    response = redirect("/admin/login?done=logged_out")
    clear_cookie(response, COOKIE_NAME)
    return response


# -- dashboard ------------------------------------------------------------------------
def _overdue_before() -> dt.datetime:
    return accounts.now() - dt.timedelta(hours=24 * get_settings().ticket_answer_days)


def _overdue(ticket) -> bool:
    return ticket.status == "open" and accounts.aware(ticket.created_at) < _overdue_before()


@router.get("")
def dashboard(request: Request, current: Viewer, db: DB) -> Response:
    open_count = db.scalar(select(func.count()).select_from(Ticket).where(Ticket.status == "open")) or 0
    # created_at is compared in Python: SQLite keeps it without a time zone
    overdue = sum(1 for t in db.scalars(select(Ticket.created_at).where(Ticket.status == "open"))
                  if accounts.aware(t) < _overdue_before())
    faq_count = len(request.app.state.faq.list())
    return render(request, "dashboard.html", current, open_count=open_count, overdue_count=overdue,
                  faq_count=faq_count, answer_days=get_settings().ticket_answer_days,
                  lookup_alerts=throttle.recent_alerts(db))


# -- tickets --------------------------------------------------------------------------
STATUS_FILTERS = {"open": "未回答", "answered": "回答済み", "closed": "対応終了", "all": "すべて"}
TICKET_PAGE_SIZE = 50


@router.get("/tickets")
def ticket_list(request: Request, current: Viewer, db: DB, status: str = "open", page: int = 1) -> Response:
    if status not in STATUS_FILTERS:
        status = "all"
    where = [] if status == "all" else [Ticket.status == status]
    total = db.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    pager = Pager("/admin/tickets", page, TICKET_PAGE_SIZE, total, params={"status": status})
    # a page of rows, newest first; the transcripts (the bulk of a row) are read on the ticket's own page
    items = db.scalars(select(Ticket).options(defer(Ticket.transcript)).where(*where)
                       .order_by(Ticket.created_at.desc(), Ticket.id.desc()).offset(pager.offset).limit(pager.size))
    rows = [{"t": t, "overdue": _overdue(t)} for t in items]
    return render(request, "tickets.html", current, rows=rows, pager=pager, status=status, filters=STATUS_FILTERS,
                  answer_days=get_settings().ticket_answer_days)


def _ticket(db, number: str, current: Current):
    try:
        return tickets.get(db, number)
    except tickets.TicketNotFound:
        raise ConsoleError(404, TICKET_NOT_FOUND, current) from None


def _ticket_page(request: Request, current: Current, ticket, status_code: int = 200, error: str | None = None,
                 draft: str = "", notice: str | None = None) -> Response:
    from sqlalchemy.orm import object_session

    from api.handover import service as handover

    settings = get_settings()
    # a live chat offered on this ticket (api.handover): its state, or the form to offer one
    live = handover.on_ticket(object_session(ticket), ticket.number)
    reachable = handover.reachable(ticket)
    return render(request, "ticket.html", current, status_code=status_code, t=tickets.out(ticket),
                  overdue=_overdue(ticket), error=error, draft=draft, notice=notice,
                  answer_days=settings.ticket_answer_days, live=live, reachable=reachable,
                  departments=settings.departments,
                  own_dept=current.user.department if current.user.department in settings.departments else "")


@router.get("/tickets/{number}")
def ticket_detail(request: Request, number: str, current: Viewer, db: DB, done: str | None = None) -> Response:
    return _ticket_page(request, current, _ticket(db, number, current), notice=_notice(done))


@router.post("/tickets/{number}/answer")
def ticket_answer(request: Request, number: str, current: EditorPost, db: DB, answer: FormText = "") -> Response:
    ticket = _ticket(db, number, current)
    if ticket.status == "closed":
        raise ConsoleError(409, TICKET_CLOSED, current)
    try:
        text = AnswerIn(answer=answer).answer
    except ValidationError:
        return _ticket_page(request, current, ticket, status_code=422, draft=answer[:5000],
                            error="回答を入力してください（5000文字以内）。")
    # the audit row is stored by the same commit as the answer and its LINE delivery job
    accounts.audit(db, current.user, "ticket.answer", ticket.number, {"channel": ticket.channel, "answer": text})
    try:
        tickets.answer(db, ticket, text, get_settings())
    except tickets.TicketClosed:
        db.rollback()
        raise ConsoleError(409, TICKET_CLOSED, current) from None
    done = "answered_line" if ticket.channel == "line" else "answered"
    return redirect(f"/admin/tickets/{ticket.number}?done={done}")


@router.post("/tickets/{number}/close")
def ticket_close(number: str, current: EditorPost, db: DB) -> Response:
    ticket = _ticket(db, number, current)
    if ticket.status != "closed":
        accounts.audit(db, current.user, "ticket.close", ticket.number, {"was": ticket.status})
        tickets.close(db, ticket)
    return redirect(f"/admin/tickets/{ticket.number}?done=closed")


# -- staff accounts (admin) -----------------------------------------------------------
def _users_page(request: Request, current: Current, db, status_code: int = 200, error: str | None = None,
                form: dict | None = None, notice: str | None = None) -> Response:
    return render(request, "users.html", current, status_code=status_code, users=accounts.list_users(db),
                  roles=ROLES, error=error, form=form or {"login": "", "name": "", "role": "viewer"},
                  notice=notice, now=accounts.now(), aware=accounts.aware)


@router.get("/users")
def users(request: Request, current: Admin, db: DB, done: str | None = None) -> Response:
    return _users_page(request, current, db, notice=_notice(done))


@router.post("/users")
def user_create(request: Request, current: AdminPost, db: DB, login: FormText = "", name: FormText = "",
                role: FormText = "viewer", password: FormText = "", password_again: FormText = "") -> Response:
    try:
        accounts.check_password(password, password_again)
        accounts.create_user(db, login, name, role, password, current.user)
    except AccountError as exc:
        db.rollback()
        return _users_page(request, current, db, status_code=422, error=str(exc),
                           form={"login": login[:64], "name": name[:100], "role": role if role in ROLES else "viewer"})
    return redirect("/admin/users?done=created")


def _user(db, user_id: int, current: Current):
    try:
        return accounts.get_user(db, user_id)
    except AccountError as exc:
        raise ConsoleError(404, str(exc), current) from None


def _user_page(request: Request, current: Current, user, status_code: int = 200, error: str | None = None,
               notice: str | None = None, **extra) -> Response:
    from sqlalchemy.orm import object_session

    from api.admin import tokens

    locked = user.locked_until is not None and accounts.aware(user.locked_until) > accounts.now()
    api_tokens = [(t, tokens.state(t)) for t in tokens.of_user(object_session(user), user.id)]
    return render(request, "user.html", current, status_code=status_code, user=user, locked=locked,
                  error=error, notice=notice, api_tokens=api_tokens, departments=get_settings().departments,
                  token_roles=[r for r in ROLES if accounts.may(user.role, r)],
                  **{"new_token": None, "new_token_id": None, **extra})


@router.get("/users/{user_id}")
def user_detail(request: Request, user_id: int, current: Admin, db: DB, done: str | None = None) -> Response:
    return _user_page(request, current, _user(db, user_id, current), notice=_notice(done))


@router.post("/users/{user_id}/deactivate")
def user_deactivate(request: Request, user_id: int, current: AdminPost, db: DB) -> Response:
    user = _user(db, user_id, current)
    try:
        accounts.deactivate_user(db, user, current.user)
    except AccountError as exc:
        db.rollback()
        return _user_page(request, current, user, status_code=409, error=str(exc))
    return redirect(f"/admin/users/{user.id}?done=deactivated")


@router.post("/users/{user_id}/department")
def user_department(request: Request, user_id: int, current: AdminPost, db: DB, department: FormText = "") -> Response:
    """The account's 担当課: the live-chat page opens on its queue ("" for every department)."""
    user = _user(db, user_id, current)
    if department and department not in get_settings().departments:
        return _user_page(request, current, user, status_code=422, error="その担当課はありません。")
    accounts.audit(db, current.user, "user.department", user.login, {"from": user.department, "to": department})
    user.department = department
    db.commit()
    return redirect(f"/admin/users/{user.id}?done=department")


@router.post("/users/{user_id}/password")
def user_password(request: Request, user_id: int, current: AdminPost, db: DB, password: FormText = "",
                  password_again: FormText = "") -> Response:
    user = _user(db, user_id, current)
    try:
        accounts.reset_password(db, user, password, password_again, current.user,
                                keep_session_id=current.session.id)
    except AccountError as exc:
        db.rollback()
        return _user_page(request, current, user, status_code=422, error=str(exc))
    return redirect(f"/admin/users/{user.id}?done=password")


# -- one's own account (every role) ------------------------------------------------------
def _account_page(request: Request, current: Current, status_code: int = 200, error: str | None = None,
                  error_field: str | None = None, notice: str | None = None) -> Response:
    return render(request, "account.html", current, status_code=status_code, error=error,
                  error_field=error_field, notice=notice)


@router.get("/account")
def account(request: Request, current: Viewer, done: str | None = None) -> Response:
    return _account_page(request, current, notice=_notice(done))


@router.post("/account")
def account_password(request: Request, current: ViewerPost, db: DB, current_password: FormText = "",
                     password: FormText = "", password_again: FormText = "") -> Response:
    try:
        accounts.change_own_password(db, current, current_password, password, password_again, _client(request))
    except accounts.WrongPassword:
        cfg = console_settings()
        return _account_page(request, current, status_code=401, error_field="current",
                             error=CHANGE_REFUSED.format(n=cfg.max_failed_logins, m=int(cfg.lockout_minutes)))
    except AccountError as exc:
        db.rollback()
        return _account_page(request, current, status_code=422, error=str(exc), error_field="new")
    return redirect("/admin/account?done=password_changed")
