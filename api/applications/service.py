"""Application status lookup, with a limit on failed tries.

Every mismatch (unknown number, wrong birth date, malformed number) gives the same
"not_found", so the answer never tells which part was wrong. Failures are counted
per sender and per application number: a new sender id costs nothing to get, so
the per-number count is what stops guessing a birth date.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.applications.models import Application, LookupAttempt
from api.applications.schemas import ApplicationOut, EventOut, LookupIn, LookupOut
from api.privacy import sender_key

STATUS_LABELS = {
    "received": "受付済み",
    "reviewing": "審査中",
    "action_required": "追加の書類が必要です",
    "ready": "準備ができました",
    "completed": "完了",
    "withdrawn": "取り下げ",
}
NEXT_STEPS = {
    "received": "申請を受け付けました。審査が始まるまでお待ちください。",
    "reviewing": "審査中です。結果は郵送でお知らせします。",
    "action_required": "書類が不足しています。担当課までお電話ください。",
    "ready": "準備ができました。担当課の窓口でお受け取りください（本人確認書類をお持ちください）。",
    "completed": "手続きは完了しています。",
    "withdrawn": "この申請は取り下げられています。",
}
_NUMBER = re.compile(r"^A(\d{4})(\d{6})$")


def canonical_number(raw: str) -> str | None:
    """'ａ２０２６ー０００１０１' → 'A-2026-000101'; None when it cannot be an application number."""
    text = unicodedata.normalize("NFKC", raw).upper()
    text = re.sub(r"[^0-9A-Z]", "", text)
    m = _NUMBER.match(text)
    return f"A-{m.group(1)}-{m.group(2)}" if m else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _failures(session: Session, column, value: str, since: dt.datetime) -> int:
    stmt = select(func.count()).select_from(LookupAttempt).where(
        column == value, LookupAttempt.at >= since, LookupAttempt.ok.is_(False)
    )
    return session.scalar(stmt) or 0


def to_out(app: Application) -> ApplicationOut:
    return ApplicationOut(
        number=app.number,
        procedure=app.procedure,
        status=app.status,
        status_label=STATUS_LABELS.get(app.status, app.status),
        next_step=NEXT_STEPS.get(app.status, ""),
        department=app.department,
        phone=app.phone,
        history=[
            EventOut(on=e.on, status=e.status, status_label=STATUS_LABELS.get(e.status, e.status), note=e.note)
            for e in app.history
        ],
    )


def lookup(session: Session, req: LookupIn, max_failures: int, window_s: int) -> LookupOut:
    now = _now()
    since = now - dt.timedelta(seconds=window_s)
    number = canonical_number(req.number) or req.number[:40]
    sender = sender_key(req.sender)  # only counted and compared: the id itself is never stored here
    if (
        _failures(session, LookupAttempt.sender, sender, since) >= max_failures
        or _failures(session, LookupAttempt.number, number, since) >= max_failures
    ):
        return LookupOut(result="locked")
    app = session.get(Application, number)
    ok = app is not None and app.birth_date == req.birth_date
    session.add(LookupAttempt(sender=sender, number=number, at=now, ok=ok))
    session.commit()
    if not ok:
        return LookupOut(result="not_found")
    return LookupOut(result="found", application=to_out(app))
