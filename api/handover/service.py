"""Live chat with staff: the queue, the resident's side, the staff's side, and what becomes a ticket.

A conversation is offered to staff only when its department is open (api.handover.hours) and a
staff member has the live-chat page open (StaffPresence). Accepted, it waits in its
department's queue; a staff member takes it, answers, transfers it (to a colleague or another
department, with a note), returns it to the bot or closes it. Waiting longer than
MADOGUCHI_HANDOVER_WAIT_MAX_S, or with no staff member left at the console, it becomes a ticket
with everything the resident typed (api.tickets), so nothing is lost.

A staff member may also offer the chat, on a ticket (a resident who left a question): the chat
is "offered" until the resident accepts (then it is that staff member's, or the department's
queue's when they have gone), declines, or lets MADOGUCHI_HANDOVER_OFFER_S pass; the ticket stays
open either way, so a declined or expired offer still gets its answer later.

Everything a resident types is masked before it is stored (api.privacy.mask), as for tickets.
The raw sender id is kept only while the chat is open (its messages must reach the resident);
the keyed hash replaces it when the chat ends. Functions here change the session and commit;
talking to Rasa (pause/resume) and waking the LINE worker are the caller's (routes), after the
commit.
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

import locales
from api.channels.messages import Button, Message
from api.config import Settings
from api.handover.hours import Calendar
from api.handover.models import LiveChat, LiveMessage, StaffPresence
from api.privacy import mask, sender_key

OPEN = ("waiting", "active")
MAX_TEXT = 2000
TYPING_S = 6  # a typing signal shows this long
DEFAULT_WAIT_S = 180.0  # the estimate's handling time before there is history to measure

# what the resident reads (system messages of the live chat): keys of locales/<lang>.yml, in the
# resident's language (LiveChat.lang)
QUEUED, TAKEN, TRANSFERRED, TRANSFERRED_STAFF = "live_queued", "live_taken", "live_transferred", "live_transferred_staff"
RETURNED, CLOSED, LEFT, STAFF_LEFT = "live_returned", "live_closed", "live_left", "live_staff_left"
TICKETED, NOT_AVAILABLE = "live_ticketed", "live_not_available"
OFFERED, OFFER_DECLINED, OFFER_OVER = "live_offered", "live_offer_declined", "live_offer_over"
ACCEPT, DECLINE = "/live_accept", "/live_decline"  # the buttons of a staff member's offer


class LiveError(ValueError):
    """A request that does not fit the chat's state (shown to staff as a 409)."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives stored times back without their zone; they are UTC."""
    return t if t is None or t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def label(settings: Settings, department: str, staff_name: str | None = None) -> str:
    """Who residents see answering: the city (settings) and the department, 「〇〇市 市民課」, never a person unless configured."""
    base = f"{settings.city_name} {department}"
    return f"{base} {staff_name}" if staff_name and settings.handover_show_staff_name else base


def department_for(settings: Settings, faq_department: str | None) -> str:
    """The queue of an FAQ's 担当 (「市民課 住民記録係」 → 市民課); the first queue otherwise."""
    queues = settings.departments
    text = (faq_department or "").replace("\u3000", " ")
    for queue in queues:
        if queue in text.split() or text.startswith(queue):
            return queue
    return queues[0]


# ---------------------------------------------------------------- staff presence


def present_staff(session: Session, settings: Settings, department: str | None = None, at: dt.datetime | None = None
                  ) -> list[StaffPresence]:
    """Staff with the live-chat page open; for `department`: its own and those who take every queue."""
    since = (at or now()) - dt.timedelta(seconds=settings.handover_staff_away_s)
    rows = [p for p in session.scalars(select(StaffPresence)) if aware(p.seen_at) >= since]
    if department is not None:
        rows = [p for p in rows if p.department in ("", department)]
    return rows


def seen(session: Session, user_id: int, department: str) -> None:
    row = session.get(StaffPresence, user_id)
    if row is None:
        session.add(StaffPresence(user_id=user_id, department=department, seen_at=now()))
    else:
        row.department, row.seen_at = department, now()
    session.commit()


def staff_left(session: Session, user_id: int) -> None:
    """Log-out: no longer at the console (sweep() then moves or tickets that person's chats)."""
    session.execute(delete(StaffPresence).where(StaffPresence.user_id == user_id))
    session.commit()


# ---------------------------------------------------------------- offer and estimate


@dataclass
class Offer:
    available: bool
    department: str
    label: str
    hours: str
    wait_s: float | None = None
    wait_text: str = ""
    reason: str = ""  # closed | no_staff


def wait_text(seconds: float, lang: str = "ja") -> str:
    minutes = max(1, round(seconds / 60))
    return locales.text(lang, "live_wait_now") if seconds < 45 else locales.text(lang, "live_wait_minutes", minutes=minutes)


def estimate_wait(session: Session, settings: Settings, department: str, ahead: int, staff: int) -> float:
    """Honest, not hopeful: the people ahead plus this one, each handled in the median time the
    last 20 taken chats waited, shared among the staff present."""
    recent = session.execute(select(LiveChat.created_at, LiveChat.taken_at).where(
        LiveChat.taken_at.is_not(None), LiveChat.origin == "resident")  # an offer's "wait" is the resident's
                             .order_by(LiveChat.taken_at.desc()).limit(20)).all()
    waits = [(aware(t) - aware(c)).total_seconds() for c, t in recent]
    each = statistics.median(waits) if waits else DEFAULT_WAIT_S
    return min(float(settings.handover_wait_max_s), each * (ahead + 1) / max(1, staff))


def offer(session: Session, settings: Settings, department: str, at: dt.datetime | None = None) -> Offer:
    at = at or now()
    cal = Calendar.from_settings(settings)
    out = Offer(False, department, label(settings, department), cal.describe(department))
    if not cal.is_open(department, at):
        out.reason = "closed"
        return out
    staff = present_staff(session, settings, department, at)
    if not staff:
        out.reason = "no_staff"
        return out
    ahead = session.scalar(select(func.count()).select_from(LiveChat).where(
        LiveChat.status == "waiting", LiveChat.department == department)) or 0
    out.available = True
    out.wait_s = estimate_wait(session, settings, department, ahead, len(staff))
    out.wait_text = wait_text(out.wait_s)
    return out


# ---------------------------------------------------------------- resident side


def open_chat(session: Session, sender: str) -> LiveChat | None:
    return session.scalar(select(LiveChat).where(LiveChat.sender == sender, LiveChat.status.in_(OPEN))
                          .order_by(LiveChat.id.desc()))


def _system(session: Session, chat: LiveChat, key: str, staff_id: int | None = None, last: bool = False,
            **values: object) -> LiveMessage:
    """A system message of the chat, in the resident's language."""
    return _say(session, chat, "system", locales.text(chat.lang, key, **values), staff_id, last)


def _say(session: Session, chat: LiveChat, who: str, text: str, staff_id: int | None = None,
         last: bool = False) -> LiveMessage:
    """A message of the chat. To a LINE resident, staff and system messages go as a push job of
    the LINE queue, stored by the same commit (the caller wakes the worker after it)."""
    message = LiveMessage(chat_id=chat.id, who=who, text=text, staff_id=staff_id, at=now())
    session.add(message)
    session.flush()
    if who != "resident" and chat.channel == "line" and chat.sender.startswith("line:"):
        from api.channels import line
        from api.config import get_settings

        line.enqueue_push(session, chat.sender, line_messages([(who, text)], get_settings(), chat, with_end=not last))
    return message


def start(session: Session, settings: Settings, sender: str, channel: str, department: str,
          faq_id: str | None, transcript: list[tuple[str, str]], lang: str = "ja") -> tuple[LiveChat | None, Offer]:
    """Queues the conversation, or returns the offer that says why not (closed, nobody there).
    An open chat of this sender is returned as it is (a button pressed twice)."""
    existing = open_chat(session, sender)
    if existing is not None:
        return existing, offer(session, settings, existing.department)
    if department not in settings.departments:
        department = settings.departments[0]
    pending = offered_chat(session, sender)
    if pending is not None:  # asked for a person while a staff member's offer waited: this request wins
        _close_offer(session, pending, "expired")
    found = offer(session, settings, department)
    if not found.available:
        return None, found
    chat = LiveChat(sender=sender, channel=channel, department=department, status="waiting", faq_id=faq_id,
                    transcript=[{"who": who, "text": mask(text)} for who, text in transcript[-20:]],
                    note="", created_at=now(), waiting_since=now(), lang=locales.valid(lang))
    session.add(chat)
    session.flush()
    _system(session, chat, QUEUED, label=found.label, wait=wait_text(found.wait_s or 0.0, chat.lang))
    session.commit()
    return chat, found


def resident_says(session: Session, chat: LiveChat, text: str) -> LiveMessage:
    message = _say(session, chat, "resident", mask(text[:MAX_TEXT]))
    session.commit()
    return message


def messages_after(session: Session, chat: LiveChat, after: int) -> list[LiveMessage]:
    return list(session.scalars(select(LiveMessage).where(LiveMessage.chat_id == chat.id, LiveMessage.id > after)
                                .order_by(LiveMessage.id)))


def last_chat(session: Session, sender: str) -> LiveChat | None:
    """The sender's newest chat, open or ended (an ended one is found by the keyed hash)."""
    return session.scalar(select(LiveChat).where(LiveChat.sender.in_([sender, sender_key(sender)]))
                          .order_by(LiveChat.id.desc()))


def typing(chat: LiveChat) -> bool:
    return chat.status == "active" and chat.staff_typing_until is not None and aware(chat.staff_typing_until) > now()


# ---------------------------------------------------------------- staff side


def get(session: Session, chat_id: int) -> LiveChat:
    chat = session.get(LiveChat, chat_id)
    if chat is None:
        raise LookupError(chat_id)
    return chat


def _must_be_open(chat: LiveChat, closing: bool = False) -> None:
    if chat.status not in OPEN and not (closing and chat.status == "closing"):
        raise LiveError("この会話はすでに終了しています。")


def take(session: Session, settings: Settings, chat: LiveChat, staff_id: int, staff_name: str) -> None:
    _must_be_open(chat)
    if chat.status == "active" and chat.staff_id not in (None, staff_id):
        raise LiveError("この会話はほかの職員が対応しています。")
    # a compare-and-set: two staff members taking at once, or the sweep turning it into a ticket
    # meanwhile (another api process), leave it to exactly one of them
    won = session.execute(update(LiveChat).where(
        LiveChat.id == chat.id, or_(LiveChat.status == "waiting",
                                    and_(LiveChat.status == "active", LiveChat.staff_id == staff_id)))
        .values(status="active", staff_id=staff_id).execution_options(synchronize_session=False)).rowcount
    if won != 1:  # nothing changed: nothing to roll back
        raise LiveError("この会話はほかの職員が対応したか、すでに終了しています。")
    first = chat.taken_at is None
    chat.status, chat.staff_id = "active", staff_id
    if first:
        chat.taken_at = now()
    _system(session, chat, TAKEN, staff_id, label=label(settings, chat.department, staff_name))
    session.flush()


def _holder(chat: LiveChat, staff_id: int) -> None:
    _must_be_open(chat)
    if chat.status != "active" or chat.staff_id != staff_id:
        raise LiveError("この会話を担当していません。先に「対応する」を押してください。")


def reply(session: Session, chat: LiveChat, staff_id: int, text: str) -> LiveMessage:
    _holder(chat, staff_id)
    chat.staff_typing_until = None
    return _say(session, chat, "staff", text[:MAX_TEXT], staff_id)


def set_typing(session: Session, chat: LiveChat, staff_id: int) -> bool:
    """Marks the staff member typing; True when they were not already (a LINE resident is then
    shown LINE's own typing animation, once per burst rather than every signal)."""
    _holder(chat, staff_id)
    started = not typing(chat)
    chat.staff_typing_until = now() + dt.timedelta(seconds=TYPING_S)
    session.commit()
    return started


def transfer(session: Session, settings: Settings, chat: LiveChat, staff_id: int, note: str,
             department: str | None = None, to_staff: int | None = None) -> None:
    """To another department's queue, or to a colleague (who finds it in their queue, assigned)."""
    _holder(chat, staff_id)
    if department is not None and department not in settings.departments:
        raise LiveError("その担当課はありません。")
    chat.note = note.strip()[:1000]
    chat.status, chat.staff_typing_until, chat.waiting_since = "waiting", None, now()
    chat.staff_id = to_staff  # None: anyone of the department; a colleague's id: waiting for them
    if department is not None and department != chat.department:
        chat.department = department
        _system(session, chat, TRANSFERRED, staff_id, label=label(settings, department))
    else:
        _system(session, chat, TRANSFERRED_STAFF, staff_id)
    session.flush()


def end(session: Session, chat: LiveChat, outcome: str, key: str, staff_id: int | None = None, **values: object) -> None:
    """Ends the chat: the last system message, then the raw sender id becomes the keyed hash
    after the resident's side has read it (ended chats are found by the hash: last_chat)."""
    _must_be_open(chat, closing=True)
    _system(session, chat, key, staff_id, last=True, **values)
    chat.status, chat.outcome, chat.ended_at, chat.staff_typing_until = "ended", outcome, now(), None
    chat.sender = _ended_sender(chat.sender)
    session.flush()


def _ended_sender(sender: str) -> str:
    """An ended chat keeps the keyed hash of its resident (found by it: last_chat), not the raw id."""
    return sender_key(sender) if sender.startswith(("web:", "line:")) else sender


def to_ticket(session: Session, settings: Settings, chat: LiveChat, sender: str) -> str:
    """Nobody could take it: a ticket as today's, with the bot part and everything typed since."""
    from api.tickets import service as tickets
    from api.tickets.schemas import Line, TicketIn

    typed = [m.text for m in session.scalars(select(LiveMessage).where(
        LiveMessage.chat_id == chat.id, LiveMessage.who == "resident").order_by(LiveMessage.id))]
    question = "\n".join(typed) or "（職員とのチャットを希望されました。入力はありません）"
    lines = [Line(who=t["who"], text=t["text"][:5000]) for t in chat.transcript]
    lines += [Line(who="resident", text=t[:5000]) for t in typed]
    created = tickets.create(session, TicketIn(sender=sender, channel=chat.channel, question=question[:2000],
                                               transcript=lines[-30:]), settings)
    chat.ticket = created.number
    end(session, chat, "ticket", TICKETED, number=created.number, expect=created.expect)
    return created.number


@dataclass
class Ended:
    """A chat that ended by itself: the caller resumes the bot for `sender` and tells LINE residents."""
    chat_id: int
    sender: str
    channel: str


def sweep(session: Session, settings: Settings, at: dt.datetime | None = None) -> list[Ended]:
    """Run every few seconds: active chats whose staff member left go back to the queue; waiting
    chats past the longest wait, or with nobody left at the console for them, become tickets."""
    at = at or now()
    present = {p.user_id: p for p in present_staff(session, settings, at=at)}
    ended: list[Ended] = []
    for chat in session.scalars(select(LiveChat).where(LiveChat.status.in_(OPEN)).order_by(LiveChat.id)).all():
        if chat.staff_id is not None and chat.staff_id not in present:
            was_active = chat.status == "active"
            chat.status, chat.staff_id, chat.staff_typing_until = "waiting", None, None
            if was_active:
                chat.waiting_since = at
                _system(session, chat, STAFF_LEFT)
        if chat.status != "waiting":
            continue
        nobody = not any(p.department in ("", chat.department) for p in present.values())
        waited = (at - aware(chat.waiting_since)).total_seconds()
        if nobody or waited > settings.handover_wait_max_s:
            session.flush()
            # claimed first (compare-and-set): a staff member taking it meanwhile, or the sweep of
            # another api process, wins or loses as a whole; a ticket is made once
            claimed = session.execute(update(LiveChat).where(LiveChat.id == chat.id, LiveChat.status == "waiting")
                                      .values(status="closing").execution_options(synchronize_session=False)).rowcount
            session.commit()
            if claimed != 1:
                continue
            chat.status = "closing"
            sender = chat.sender
            if chat.origin == "staff" and chat.ticket:  # offered on a ticket: that ticket stays open
                end(session, chat, "expired", OFFER_OVER, number=chat.ticket)
            else:
                to_ticket(session, settings, chat, sender)
            ended.append(Ended(chat.id, sender, chat.channel))
    expire_offers(session, settings, at)
    session.commit()
    return ended


# ---------------------------------------------------------------- a staff member's offer


def offered_chat(session: Session, sender: str) -> LiveChat | None:
    return session.scalar(select(LiveChat).where(LiveChat.sender == sender, LiveChat.status == "offered")
                          .order_by(LiveChat.id.desc()))


def offer_message(settings: Settings, chat: LiveChat, lang: str) -> Message:
    return Message(text=locales.text(lang, OFFERED, label=label(settings, chat.department), number=chat.ticket or ""),
                   buttons=[Button(title=locales.text(lang, "button_live_accept"), payload=ACCEPT),
                            Button(title=locales.text(lang, "button_live_decline"), payload=DECLINE)], lang=lang)


def reachable(ticket) -> bool:
    """A ticket whose resident a chat can reach: left over the web or LINE, its raw sender id still kept."""
    return ticket.channel in ("web", "line") and ticket.sender.startswith(("web:", "line:"))


def on_ticket(session: Session, number: str) -> LiveChat | None:
    """The newest chat a staff member offered on this ticket, whatever became of it."""
    return session.scalar(select(LiveChat).where(LiveChat.ticket == number, LiveChat.origin == "staff")
                          .order_by(LiveChat.id.desc()))


def offer_on_ticket(session: Session, settings: Settings, ticket, staff_id: int, department: str,
                    lang: str = "ja") -> LiveChat:
    """A staff member offers a live chat to the resident who left `ticket` (api.tickets). A LINE
    resident gets the offer as a push (stored by the caller's commit); a web resident's widget
    takes it at its next inbox poll (take_web_offer). The staff member's department must be open."""
    if ticket.status == "closed":
        raise LiveError("この問い合わせは対応を終了しています。")
    if not reachable(ticket):
        raise LiveError("この問い合わせの住民の方には、チャットでご連絡できません。")
    if department not in settings.departments:
        raise LiveError("担当課を選んでください。")
    calendar = Calendar.from_settings(settings)
    if not calendar.is_open(department, now()):
        raise LiveError(f"{department}の職員チャットは受付時間外です（{calendar.describe(department)}）。")
    if open_chat(session, ticket.sender) is not None or offered_chat(session, ticket.sender) is not None:
        raise LiveError("この住民の方とは、すでにチャット中か、チャットを申し出ています。")
    transcript = [{"who": t.get("who", "resident"), "text": t.get("text", "")} for t in (ticket.transcript or [])][-20:]
    chat = LiveChat(sender=ticket.sender, channel=ticket.channel, department=department, status="offered",
                    origin="staff", staff_id=staff_id, ticket=ticket.number, faq_id=None,
                    transcript=transcript + [{"who": "resident", "text": ticket.question}], note="",
                    created_at=now(), waiting_since=now(), lang=locales.valid(lang))
    session.add(chat)
    session.flush()
    if chat.channel == "line":
        from api.channels import line

        line.enqueue_push(session, chat.sender, [offer_message(settings, chat, chat.lang)])
        chat.offer_sent_at = now()
    return chat


def take_web_offer(session: Session, settings: Settings, sender: str, lang: str) -> list[Message]:
    """A staff member's offer waiting for a web resident, once, in the widget's language (the
    caller commits)."""
    chat = offered_chat(session, sender)
    if chat is None or chat.channel != "web" or chat.offer_sent_at is not None:
        return []
    chat.lang, chat.offer_sent_at = locales.valid(lang), now()
    return [offer_message(settings, chat, chat.lang)]


def _close_offer(session: Session, chat: LiveChat, outcome: str) -> bool:
    """Ends an offer nobody took up (compare-and-set: the resident's answer, the sweep and the
    staff member's cancel may come at once; one wins). No message: the caller answers."""
    ended = session.execute(update(LiveChat).where(LiveChat.id == chat.id, LiveChat.status == "offered").values(
        status="ended", outcome=outcome, ended_at=now(), sender=_ended_sender(chat.sender))
        .execution_options(synchronize_session=False)).rowcount
    session.expire(chat)
    return ended == 1


def accept(session: Session, settings: Settings, sender: str, lang: str) -> tuple[LiveChat | None, Message | None]:
    """The resident accepts a staff member's offer: the chat is that staff member's when they are
    at the console, else it waits in the department's queue; with nobody there the offer is over
    (the ticket is still answered). (chat opened, the message when it could not be)."""
    chat = offered_chat(session, sender)
    if chat is None:
        already = open_chat(session, sender)  # the button pressed again: the chat goes on
        return already, None if already else Message(text=locales.text(lang, "live_already_ended"), lang=lang)
    if chat.channel == "web":
        chat.lang = locales.valid(lang)
    present = {p.user_id for p in present_staff(session, settings)}
    found = offer(session, settings, chat.department)
    if chat.staff_id in present:
        target = {"status": "active", "taken_at": now()}
    elif found.available:
        target = {"status": "waiting", "staff_id": None, "waiting_since": now()}
    else:
        number, chat_lang = chat.ticket or "", chat.lang
        _close_offer(session, chat, "expired")
        session.commit()
        return None, Message(text=locales.text(chat_lang, OFFER_OVER, number=number), lang=chat_lang)
    won = session.execute(update(LiveChat).where(LiveChat.id == chat.id, LiveChat.status == "offered")
                          .values(lang=chat.lang, **target).execution_options(synchronize_session=False)).rowcount
    session.refresh(chat)
    if won != 1:
        return None, Message(text=locales.text(lang, "live_already_ended"), lang=lang)
    if chat.status == "active":
        from api.admin.models import StaffUser

        staff = session.get(StaffUser, chat.staff_id)
        _system(session, chat, TAKEN, chat.staff_id, label=label(settings, chat.department, staff and staff.display_name))
    else:
        _system(session, chat, QUEUED, label=found.label, wait=wait_text(found.wait_s or 0.0, chat.lang))
    session.commit()
    return chat, None


def decline(session: Session, sender: str, lang: str) -> Message:
    chat = offered_chat(session, sender)
    if chat is None:
        return Message(text=locales.text(lang, "live_already_ended"), lang=lang)
    chat_lang, number = (locales.valid(lang) if chat.channel == "web" else chat.lang), chat.ticket or ""
    closed = _close_offer(session, chat, "declined")
    session.commit()
    key = OFFER_DECLINED if closed else "live_already_ended"
    return Message(text=locales.text(chat_lang, key, number=number), lang=chat_lang)


def cancel_offer(session: Session, chat: LiveChat, staff_id: int) -> None:
    """The offering staff member withdraws it (the resident's button then says it is over)."""
    if chat.status != "offered" or chat.staff_id != staff_id:
        raise LiveError("この申し出はすでに終了しているか、ほかの職員のものです。")
    if not _close_offer(session, chat, "cancelled"):
        raise LiveError("この申し出はすでに終了しています。")


def expire_offers(session: Session, settings: Settings, at: dt.datetime | None = None) -> int:
    """Offers not answered within MADOGUCHI_HANDOVER_OFFER_S end (the ticket stays open)."""
    before = (at or now()) - dt.timedelta(seconds=settings.handover_offer_s)
    stale = session.scalars(select(LiveChat).where(LiveChat.status == "offered", LiveChat.created_at < before)).all()
    return sum(_close_offer(session, chat, "expired") for chat in stale)


def queue(session: Session, settings: Settings, staff_id: int, department: str) -> dict:
    """The console's view: waiting chats (this department's, then the others'), this person's
    active chats, and who else is present (for a transfer to a colleague)."""
    chats = session.scalars(select(LiveChat).where(LiveChat.status.in_(OPEN + ("offered",)))
                            .order_by(LiveChat.created_at)).all()
    offered = [c for c in chats if c.status == "offered" and c.staff_id == staff_id]
    chats = [c for c in chats if c.status != "offered"]
    mine = [c for c in chats if c.status == "active" and c.staff_id == staff_id]
    waiting = [c for c in chats if c.status == "waiting" and c.staff_id in (None, staff_id)]
    waiting.sort(key=lambda c: (c.staff_id != staff_id, bool(department) and c.department != department,
                                aware(c.created_at)))
    others = [c for c in chats if c.status == "active" and c.staff_id != staff_id]
    return {"mine": mine, "waiting": waiting, "others": others, "offered": offered}


def end_button(lang: str = "ja") -> Button:
    return Button(title=locales.text(lang, "widget_live_end"), payload="/live_end")


def line_messages(texts: list[tuple[str, str]], settings: Settings, chat: LiveChat, with_end: bool = True
                  ) -> list[Message]:
    """Staff and system messages as LINE pushes them: who is speaking, then the text; while the
    chat is open, a quick-reply button that ends it (LINE has no other control for it)."""
    out = []
    for who, text in texts:
        prefix = f"【{label(settings, chat.department)}】\n" if who == "staff" else ""
        out.append(Message(text=prefix + text, buttons=[end_button(chat.lang)] if with_end else [],
                           lang="ja" if who == "staff" else chat.lang))
    return out


def figures(session: Session, since: dt.datetime) -> list[list]:
    """数字で見る: per department since `since`, then all together: chats, taken by staff, become
    tickets, abandoned (the resident left before anyone took it), median wait until taken (s), and
    staff members' offers (made / taken up). An offer nobody took up is not a chat."""
    rows = session.execute(select(LiveChat.department, LiveChat.created_at, LiveChat.taken_at, LiveChat.outcome,
                                  LiveChat.origin, LiveChat.status).where(LiveChat.created_at >= since)).all()

    def unanswered(row) -> bool:
        return row.origin == "staff" and (row.status == "offered" or
                                          (row.taken_at is None and row.outcome in ("declined", "expired", "cancelled")))

    def line(name: str, group) -> list:
        chats = [r for r in group if not unanswered(r)]
        waits = [(aware(r.taken_at) - aware(r.created_at)).total_seconds() for r in chats
                 if r.taken_at is not None and r.origin != "staff"]
        offers = [r for r in group if r.origin == "staff"]
        return [name, len(chats), sum(1 for r in chats if r.taken_at is not None),
                sum(1 for r in chats if r.outcome == "ticket"),
                sum(1 for r in chats if r.outcome == "left" and r.taken_at is None),
                round(statistics.median(waits)) if waits else "—",
                f"{len(offers)} / {len(offers) - sum(1 for r in offers if unanswered(r))}"]

    by_department: dict[str, list] = {}
    for row in rows:
        by_department.setdefault(row.department, []).append(row)
    out = [line(d, group) for d, group in sorted(by_department.items())]
    return out + [line("合計", rows)] if rows else out
