"""The console's live-chat page (/admin/live): the queues, one conversation, and its actions.

The page works with forms alone (every action is a POST with the CSRF token, then back to the
page); its small script (/admin/live.js, the console's only script: this page's CSP allows
'self' scripts and same-origin fetches, nothing inline) polls /admin/live/poll every few seconds,
announces new waiting residents in an aria-live region, adds new messages of the open
conversation, and tells the resident when the staff member is typing. Opening the page or
polling it marks the staff member present (api.handover.models.StaffPresence): only then are
residents offered a live chat; log-out ends that at once.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from api.admin import accounts
from api.admin.accounts import Current
from api.admin.models import StaffUser
from api.admin.web import DB, ConsoleError, SECURITY_HEADERS, redirect, render, requires
from api.config import get_settings
from api.handover import routes as live_routes
from api.handover import service
from api.handover.models import LiveChat

router = APIRouter(prefix="/admin", include_in_schema=False)
SCRIPT = Path(__file__).parent / "static" / "live.js"
Viewer = Annotated[Current, requires("viewer")]
EditorPost = Annotated[Current, requires("editor", form=True)]
FormText = Annotated[str, Form()]
POLL_S = 3
# this page only: its own script and same-origin fetches (the rest of the console has no script)
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
NOTICES = {"taken": "対応を始めました。", "sent": "送信しました。", "transferred": "引き継ぎました。",
           "returned": "AIの自動応答に戻しました。", "closed": "会話を終了しました。",
           "offered": "チャットを申し出ました。住民の方が応じると「あなたが対応中」に入ります（LINEの方には通知で、"
                      "Webの方にはチャットを開いている間に届きます）。",
           "cancelled": "申し出を取り消しました。"}
NOT_FOUND = "該当する会話が見つかりません。"


def _rasa(request: Request):
    rasa = getattr(request.app.state, "rasa", None)
    if rasa is None:  # the console on its own address: the api's client in this process
        from api import main

        rasa = getattr(main.app.state, "rasa", None)
    return rasa


def _dept(value: str | None) -> str:
    return value if value in get_settings().departments else ""


def _own_dept(current: Current, dept: str | None) -> str:
    """The queue shown: the one chosen on the page ("" for every department), else the account's 担当課."""
    return _dept(current.user.department if dept is None else dept)


def _url(dept: str, chat: int | None = None, **extra) -> str:
    params = {k: v for k, v in {"dept": dept, "chat": chat or "", **extra}.items() if v}
    return "/admin/live" + ("?" + urlencode(params) if params else "")


def _names(db, ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    return {u.id: u.display_name for u in db.query(StaffUser).filter(StaffUser.id.in_(ids))} if ids else {}


def _chat_view(db, chat: LiveChat) -> dict:
    return {"c": chat, "waited": int((service.now() - service.aware(chat.waiting_since)).total_seconds()),
            "messages": service.messages_after(db, chat, 0)}


def _present(db, current: Current, dept: str) -> None:
    """Only those who may answer count as staffed (a viewer's open page offers residents nobody)."""
    if current.may("editor"):
        service.seen(db, current.user.id, dept)


@router.get("/live.js")
def live_script(current: Viewer) -> Response:
    return FileResponse(SCRIPT, media_type="application/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@router.get("/live")
def live_page(request: Request, current: Viewer, db: DB, dept: str | None = None, chat: int | None = None,
              faq: str = "", faq_q: str = "", done: str = "") -> Response:
    settings = get_settings()
    dept = _own_dept(current, dept)
    _present(db, current, dept)
    board = service.queue(db, settings, current.user.id, dept)
    selected = db.get(LiveChat, chat) if chat else None
    draft, found = "", []
    faq_service = request.app.state.faq
    if faq:
        try:
            draft = faq_service.get(faq[:100]).answer
        except Exception:  # an FAQ removed meanwhile: nothing to insert
            draft = ""
    if faq_q.strip():
        found = faq_service.search(faq_q.strip()[:200], k=5).hits
    last_faq = None
    if selected is not None and selected.faq_id:
        try:
            last_faq = faq_service.get(selected.faq_id)
        except Exception:
            last_faq = None
    present = service.present_staff(db, settings)
    names = _names(db, [p.user_id for p in present] + [c.staff_id for c in board["others"]] +
                   ([selected.staff_id] if selected is not None else []))
    response = render(request, "live.html", current, settings=settings, dept=dept, board=board,
                      view=_chat_view(db, selected) if selected is not None else None, draft=draft, found=found,
                      faq_q=faq_q[:200], last_faq=last_faq, departments=settings.departments,
                      colleagues=[(p.user_id, names.get(p.user_id, "")) for p in present if p.user_id != current.user.id],
                      names=names, notice=NOTICES.get(done), poll_s=POLL_S,
                      label=service.label, waited=lambda c: int((service.now() - service.aware(c.waiting_since)).total_seconds()))
    response.headers["Content-Security-Policy"] = CSP
    return response


@router.get("/live/poll")
def live_poll(current: Viewer, db: DB, dept: str | None = None, chat: int | None = None, after: int = 0) -> Response:
    """The page's script: the queues and the open conversation's new messages (JSON)."""
    settings = get_settings()
    dept = _own_dept(current, dept)
    _present(db, current, dept)
    board = service.queue(db, settings, current.user.id, dept)

    def row(c: LiveChat) -> dict:
        return {"id": c.id, "department": c.department, "channel": c.channel, "status": c.status,
                "waited": int((service.now() - service.aware(c.waiting_since)).total_seconds()),
                "for_me": c.staff_id == current.user.id, "note": c.note, "ticket": c.ticket or ""}

    out = {"waiting": [row(c) for c in board["waiting"]], "mine": [row(c) for c in board["mine"]],
           "offered": [row(c) for c in board["offered"]]}
    selected = db.get(LiveChat, chat) if chat else None
    if selected is not None:
        out["chat"] = {"id": selected.id, "status": selected.status, "outcome": selected.outcome,
                       "messages": [{"id": m.id, "who": m.who, "text": m.text}
                                    for m in service.messages_after(db, selected, after)]}
    return JSONResponse(out, headers=dict(SECURITY_HEADERS))


def _get(db, chat_id: int, current: Current) -> LiveChat:
    chat = db.get(LiveChat, chat_id)
    if chat is None:
        raise ConsoleError(404, NOT_FOUND, current)
    return chat


def _conflict(db, exc: service.LiveError, current: Current):
    # the service checks before it changes anything: nothing to roll back (a rollback would
    # expire the staff member the error page shows)
    return ConsoleError(409, str(exc), current)


@router.post("/live/{chat_id}/take")
def live_take(chat_id: int, current: EditorPost, db: DB, dept: FormText = "") -> Response:
    chat = _get(db, chat_id, current)
    try:
        service.take(db, get_settings(), chat, current.user.id, current.user.display_name)
    except service.LiveError as exc:
        raise _conflict(db, exc, current) from None
    accounts.audit(db, current.user, "live.take", f"live:{chat.id}", {"department": chat.department,
                                                                     "channel": chat.channel})
    db.commit()
    live_routes.wake_line(chat)
    return redirect(_url(_dept(dept), chat.id, done="taken"))


@router.post("/live/{chat_id}/reply")
def live_reply(chat_id: int, current: EditorPost, db: DB, text: FormText = "", dept: FormText = "") -> Response:
    from api.textnorm import normalize_lines

    chat = _get(db, chat_id, current)
    text = normalize_lines(text or "")
    if not text:
        return redirect(_url(_dept(dept), chat.id))
    try:
        service.reply(db, chat, current.user.id, text)
    except service.LiveError as exc:
        raise _conflict(db, exc, current) from None
    db.commit()
    live_routes.wake_line(chat)
    return redirect(_url(_dept(dept), chat.id) + "#reply")


@router.post("/live/{chat_id}/typing")
def live_typing(chat_id: int, current: EditorPost, db: DB, background: BackgroundTasks) -> Response:
    from api.channels import line

    chat = _get(db, chat_id, current)
    try:
        started = service.set_typing(db, chat, current.user.id)
    except service.LiveError:
        db.rollback()
        return Response(status_code=409)
    if started and chat.channel == "line" and chat.sender.startswith("line:"):
        background.add_task(line.show_typing, chat.sender)  # after the answer: LINE's latency is not the page's
    return Response(status_code=204)


@router.post("/live/{chat_id}/transfer")
def live_transfer(chat_id: int, current: EditorPost, db: DB, to: FormText = "", note: FormText = "",
                  dept: FormText = "") -> Response:
    """`to`: ``dept:<name>`` (that department's queue) or ``staff:<id>`` (a colleague present)."""
    settings = get_settings()
    chat = _get(db, chat_id, current)
    kind, _, value = to.partition(":")
    try:
        if kind == "dept":
            service.transfer(db, settings, chat, current.user.id, note, department=value)
        elif kind == "staff" and value.isdigit() and any(p.user_id == int(value) for p in service.present_staff(db, settings)):
            service.transfer(db, settings, chat, current.user.id, note, to_staff=int(value))
        else:
            raise service.LiveError("引き継ぎ先を選んでください（いまコンソールにいる職員か担当課）。")
    except service.LiveError as exc:
        raise _conflict(db, exc, current) from None
    accounts.audit(db, current.user, "live.transfer", f"live:{chat.id}", {"to": to, "note": chat.note})
    db.commit()
    live_routes.wake_line(chat)
    return redirect(_url(_dept(dept), done="transferred"))


async def _finish(request: Request, chat_id: int, current: Current, db, outcome: str, dept: str) -> Response:
    chat = _get(db, chat_id, current)
    sender = chat.sender
    try:
        if chat.status == "waiting":
            raise service.LiveError("先に「対応する」を押してください。")
        service._holder(chat, current.user.id)
        service.end(db, chat, outcome, service.RETURNED if outcome == "returned" else service.CLOSED, current.user.id)
    except service.LiveError as exc:
        raise _conflict(db, exc, current) from None
    accounts.audit(db, current.user, f"live.{'return' if outcome == 'returned' else 'close'}", f"live:{chat.id}",
                   {"department": chat.department})
    db.commit()
    await live_routes.set_paused(_rasa(request), sender, False)
    live_routes.wake_line(chat)
    return redirect(_url(_dept(dept), done=outcome))


@router.post("/live/{chat_id}/return")
async def live_return(request: Request, chat_id: int, current: EditorPost, db: DB) -> Response:
    return await _finish(request, chat_id, current, db, "returned", str((await request.form()).get("dept") or ""))


@router.post("/live/{chat_id}/close")
async def live_close(request: Request, chat_id: int, current: EditorPost, db: DB) -> Response:
    return await _finish(request, chat_id, current, db, "closed", str((await request.form()).get("dept") or ""))


# ---------------------------------------------------------------- a staff member's own offer


@router.post("/tickets/{number}/live-offer")
def live_offer(number: str, current: EditorPost, db: DB, dept: FormText = "") -> Response:
    """Offers a live chat to the resident who left the ticket (in office hours): a LINE resident
    gets it pushed, a web resident's widget shows it at its next poll; accepted, the chat is this
    staff member's (api.handover.service.offer_on_ticket)."""
    from api.channels import line_lang
    from api.tickets import service as tickets

    settings = get_settings()
    try:
        ticket = tickets.get(db, number)
    except tickets.TicketNotFound:
        raise ConsoleError(404, "該当する問い合わせが見つかりません。", current) from None
    lang = "ja"
    if ticket.channel == "line" and ticket.sender.startswith("line:"):
        lang = line_lang.stored_language(ticket.sender) or "ja"
    try:
        chat = service.offer_on_ticket(db, settings, ticket, current.user.id, _dept(dept), lang)
    except service.LiveError as exc:  # checked before anything changed
        raise _conflict(db, exc, current) from None
    accounts.audit(db, current.user, "live.offer", f"live:{chat.id}", {"ticket": ticket.number,
                                                                      "department": chat.department,
                                                                      "channel": chat.channel})
    db.commit()
    service.seen(db, current.user.id, chat.department)  # at the console for it from now on
    live_routes.wake_line(chat)
    return redirect(_url(chat.department, chat.id, done="offered"))


@router.post("/live/{chat_id}/cancel")
def live_cancel(chat_id: int, current: EditorPost, db: DB, dept: FormText = "") -> Response:
    chat = _get(db, chat_id, current)
    try:
        service.cancel_offer(db, chat, current.user.id)
    except service.LiveError as exc:
        raise _conflict(db, exc, current) from None
    accounts.audit(db, current.user, "live.cancel", f"live:{chat.id}", {"ticket": chat.ticket or ""})
    db.commit()
    return redirect(_url(_dept(dept), done="cancelled"))
