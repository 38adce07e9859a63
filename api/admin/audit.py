"""The audit log page (admin only): newest first, filtered by actor and action, and as CSV."""
from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from api.admin.accounts import Current, aware
from api.admin.models import AuditLog
from api.admin.paging import Pager
from api.admin.web import DB, JST, csv_download, render, requires, spreadsheet_cell

router = APIRouter(prefix="/admin", include_in_schema=False)
Admin = Annotated[Current, requires("admin")]

PAGE_SIZE = 100
CSV_COLUMNS = ["日時（JST）", "操作者", "操作", "対象", "詳細"]


def details_text(details: dict | None) -> str:
    """One `key: value` line per detail; values that are not text as JSON, never as markup."""
    return "\n".join(f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
                     for key, value in (details or {}).items())


def _filtered(stmt, actor: str, action: str):
    if actor:
        stmt = stmt.where(AuditLog.actor == actor)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return stmt


def _newest_first(actor: str, action: str):
    return _filtered(select(AuditLog), actor, action).order_by(AuditLog.at.desc(), AuditLog.id.desc())


def _choices(db, column) -> list[str]:
    return list(db.scalars(select(column).distinct().order_by(column)))


@router.get("/audit")
def audit_log(request: Request, current: Admin, db: DB, actor: str = "", action: str = "",
              page: int = 1) -> Response:
    actor, action = actor.strip()[:64], action.strip()[:50]
    total = db.scalar(_filtered(select(func.count()).select_from(AuditLog), actor, action)) or 0
    params = {k: v for k, v in {"actor": actor, "action": action}.items() if v}
    pager = Pager("/admin/audit", page, PAGE_SIZE, total, params=params)
    rows = db.scalars(_newest_first(actor, action).offset(pager.offset).limit(PAGE_SIZE))
    return render(request, "audit.html", current, rows=[(r, details_text(r.details)) for r in rows], pager=pager,
                  f={"actor": actor, "action": action},
                  actors=_choices(db, AuditLog.actor), actions=_choices(db, AuditLog.action),
                  csv_url="/admin/audit.csv" + ("?" + urlencode(params) if params else ""))


@router.get("/audit.csv")
def audit_csv(current: Admin, db: DB, actor: str = "", action: str = "") -> Response:
    rows = ([aware(r.at).astimezone(JST).strftime("%Y-%m-%d %H:%M:%S"), r.actor, r.action, r.target,
             details_text(r.details)] for r in db.scalars(_newest_first(actor.strip()[:64], action.strip()[:50])))
    return csv_download("madoguchi-audit.csv", CSV_COLUMNS, ([spreadsheet_cell(v) for v in row] for row in rows))
