"""Application status lookup, with limits on tries.

Every mismatch (unknown number, wrong birth date, malformed number) gives the same
"not_found", so the answer never tells which part was wrong. Tries are limited per
sender, per client (the resident's address, where the chat knows it), per application
number and for everyone together (api.applications.throttle): a new sender id costs
nothing to get, so the per-number and per-client counts are what stop guessing, and a
growing delay rather than a lock lets the real applicant through after a short wait.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from sqlalchemy.orm import Session

from api.applications import throttle
from api.applications.models import Application, LookupAttempt
from api.config import Settings
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


def lookup(session: Session, req: LookupIn, settings: Settings) -> LookupOut:
    number = canonical_number(req.number) or req.number[:40]
    claimed = throttle.keys(req.sender, req.client, number)
    wait = throttle.overall(settings) or throttle.claim(session, claimed, settings)
    if wait:
        return LookupOut(result="locked", retry_after=math.ceil(wait))
    app = session.get(Application, number)
    ok = app is not None and app.birth_date == req.birth_date
    session.add(LookupAttempt(sender=sender_key(req.sender),  # the id itself is never stored here
                                number=number, at=_now(), ok=ok))
    if ok:
        throttle.release(session, claimed)
    session.commit()
    if not ok:
        throttle.failed(session, settings)
        return LookupOut(result="not_found")
    return LookupOut(result="found", application=to_out(app))
