"""Staff work on applications: search, status changes (history kept), CSV import from the core system."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.applications.models import Application, ApplicationEvent
from api.applications.service import STATUS_LABELS, canonical_number
from api.textnorm import decode_spreadsheet

CSV_COLUMNS = ("number", "status", "date", "note")
MAX_NOTE = 500
MAX_ROWS = 5000


class CsvRejected(ValueError):
    """The file cannot be imported; `errors` lists the problems ("3行目: …")."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Change:
    number: str
    status: str
    on: dt.date
    note: str


def search(session: Session, q: str = "", status: str = "", limit: int = 200) -> list[Application]:
    stmt = select(Application).order_by(Application.number.desc()).limit(limit)
    q = q.strip()
    if q:
        number = canonical_number(q)
        like = f"%{q}%"
        stmt = stmt.where(or_(Application.number == number, Application.number.like(like),
                              Application.procedure.like(like)))
    if status in STATUS_LABELS:
        stmt = stmt.where(Application.status == status)
    return list(session.scalars(stmt))


def parse_date(raw: str) -> dt.date | None:
    text = raw.strip().replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        return None


def check(session: Session, number: str, status: str, on: str | dt.date, note: str) -> tuple[Change | None, str]:
    """A valid change, or (None, why not) in Japanese."""
    canon = canonical_number(number or "")
    if canon is None or session.get(Application, canon) is None:
        return None, "申請番号が見つかりません"
    if status not in STATUS_LABELS:
        return None, "状況は " + "・".join(STATUS_LABELS) + " のいずれかにしてください"
    day = on if isinstance(on, dt.date) else parse_date(on or "")
    if day is None:
        return None, "日付は YYYY-MM-DD の形で入力してください"
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        return None, f"備考は{MAX_NOTE}文字以内にしてください"
    return Change(canon, status, day, note), ""


def apply(session: Session, change: Change) -> tuple[Application, ApplicationEvent]:
    """Adds a dated event (the history is never rewritten) and sets the current status.
    The caller commits (with its audit row)."""
    app = session.get(Application, change.number)
    event = ApplicationEvent(on=change.on, status=change.status, note=change.note)
    app.history.append(event)
    latest = max((e.on for e in app.history if e is not event), default=None)
    if latest is None or change.on >= latest:
        app.status = change.status
    return app, event


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932, as the core system writes it."""
    try:
        return decode_spreadsheet(data)
    except UnicodeDecodeError:
        raise CsvRejected(["文字コードを読み取れません。UTF-8 または Shift_JIS（CP932）で保存してください。"]) from None


def parse_csv(session: Session, data: bytes) -> list[Change]:
    """Every row checked before anything is written: all valid, or CsvRejected with every bad line."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    changes, errors = [], []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if line == 1 and [c.strip().lower() for c in row[:4]] == list(CSV_COLUMNS):
            continue  # header
        if len(row) not in (3, 4):
            errors.append(f"{line}行目: 列の数が正しくありません（number,status,date,note）")
            continue
        number, status, on = (c.strip() for c in row[:3])
        change, why = check(session, number, status, on, row[3] if len(row) == 4 else "")
        if change is None:
            errors.append(f"{line}行目: {why}")
        else:
            changes.append(change)
        if len(changes) + len(errors) > MAX_ROWS:
            raise CsvRejected([f"一度に取り込めるのは{MAX_ROWS}行までです。"])
    if errors:
        raise CsvRejected(errors)
    if not changes:
        raise CsvRejected(["取り込む行がありません。"])
    return changes
