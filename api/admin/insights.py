"""Console pages built on conversation analytics: the inbox of unmet needs and the figures."""
from __future__ import annotations

import datetime as dt
import os
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.admin import accounts
from api.admin.accounts import Current
from api.admin.web import DB, ConsoleError, csv_download, redirect, render, requires, spreadsheet_cell
from api.analytics import service as analytics
from api.faq.schemas import FaqUpdate
from api.faq.service import FaqNotFound, FaqService

router = APIRouter(prefix="/admin", include_in_schema=False)
Viewer = Annotated[Current, requires("viewer")]
EditorPost = Annotated[Current, requires("editor", form=True)]
FormText = Annotated[str, Form()]

GROUP_GONE = "この項目は見つかりませんでした。一覧を開き直してください。"
NOTICES = {
    "dismissed": "この項目を一覧から外しました。同じ内容の質問が新たに届くと、再び表示されます。",
    "alternative": "言い換えとしてFAQに追加しました。検索にすぐ反映されています。",
}
ALT_FAILED = "FAQに追加できませんでした: {why}"


def _faq(request: Request) -> FaqService:
    return request.app.state.faq


def _faq_question(service: FaqService, faq_id: str | None) -> str:
    if not faq_id:
        return ""
    try:
        return service.get(faq_id).question
    except FaqNotFound:
        return ""


# -- inbox ----------------------------------------------------------------------------
def _inbox_page(request: Request, current: Current, db, status_code: int = 200, error: str | None = None,
                notice: str | None = None) -> Response:
    service = _faq(request)
    groups = analytics.open_groups(db)
    rows = [{"g": g, "faq_question": _faq_question(service, g.faq_id),
             "new_faq_url": "/admin/faqs/new?question=" + quote(g.text, safe="")} for g in groups]
    return render(request, "inbox.html", current, status_code=status_code, rows=rows, error=error, notice=notice,
                  faqs=service.list(), reasons=analytics.REASONS)


@router.get("/inbox")
def inbox(request: Request, current: Viewer, db: DB, done: str | None = None) -> Response:
    return _inbox_page(request, current, db, notice=NOTICES.get(done or ""))


def _group(db, key: str, current: Current) -> analytics.Group:
    group = analytics.find_group(db, key)
    if group is None:
        raise ConsoleError(404, GROUP_GONE, current)
    return group


@router.post("/inbox/dismiss")
def inbox_dismiss(current: EditorPost, db: DB, key: FormText = "") -> Response:
    group = _group(db, key, current)
    analytics.decide(db, group.key, "dismiss", current.user.login)
    accounts.audit(db, current.user, "inbox.dismiss", group.key, {"count": group.count, "text": group.text})
    db.commit()
    return redirect("/admin/inbox?done=dismissed")


@router.post("/inbox/alternative")
def inbox_alternative(request: Request, current: EditorPost, db: DB, key: FormText = "", faq_id: FormText = "",
                      text: FormText = "") -> Response:
    """Adds the wording as an alternative phrasing of an FAQ: live in the search at once."""
    group = _group(db, key, current)
    service = _faq(request)
    try:
        entry = service.get(faq_id)
    except FaqNotFound:
        return _inbox_page(request, current, db, status_code=422, error=ALT_FAILED.format(why="FAQを選んでください。"))
    wording = " ".join((text or group.text).split())[:500]
    if not wording:
        return _inbox_page(request, current, db, status_code=422, error=ALT_FAILED.format(why="言い換えの文が空です。"))
    if wording in entry.alternatives or wording == entry.question:
        analytics.decide(db, group.key, "alternative", current.user.login)
        db.commit()
        return redirect("/admin/inbox?done=alternative")
    fields = entry.model_dump(exclude={"id", "origin"})
    fields["alternatives"] = [*entry.alternatives, wording]
    try:
        data = FaqUpdate(**fields)
        service.update_entry(entry.id, data)
    except (ValidationError, FaqNotFound) as exc:
        why = "言い換えが多すぎるか、内容が正しくありません。" if isinstance(exc, ValidationError) else "FAQが見つかりません。"
        return _inbox_page(request, current, db, status_code=422, error=ALT_FAILED.format(why=why))
    analytics.decide(db, group.key, "alternative", current.user.login)
    accounts.audit(db, current.user, "faq.add_alternative", entry.id, {"alternative": wording, "group": group.key})
    db.commit()
    return redirect("/admin/inbox?done=alternative")


# -- figures --------------------------------------------------------------------------
def stale_months() -> int:
    try:
        return max(1, int(os.environ.get("MADOGUCHI_STALE_MONTHS", "12")))
    except ValueError:
        return 12


def _tables(request: Request, db) -> dict[str, dict]:
    """Every figure as a table: title, column names, rows (the charts and the CSVs use these)."""
    service = _faq(request)
    daily = analytics.daily_conversations(db)
    out = analytics.outcomes(db)
    fb = analytics.feedback_counts(db)
    months = stale_months()
    cutoff = analytics.months_before(analytics.today(), months)
    stale = sorted((e for e in service.list() if e.verified < cutoff), key=lambda e: e.verified)
    return {
        "daily": {"title": "1日あたりの会話数（直近30日、経路別）", "columns": ["日付", "Webチャット", "LINE"],
                  "rows": [[d.isoformat(), c["web"], c["line"]] for d, c in daily]},
        "outcomes": {"title": "質問への対応（直近30日）", "columns": ["結果", "件数"],
                     "rows": [["回答した", out["answer"]], ["候補を示した", out["suggest"]],
                              ["回答できなかった", out["none"]]]},
        "feedback": {"title": "回答への評価（直近30日）", "columns": ["評価", "件数"],
                     "rows": [["👍 役に立った", fb["up"]], ["👎 役に立たなかった", fb["down"]]]},
        "top_faqs": {"title": "よく使われたFAQ（直近30日、上位10件）", "columns": ["FAQ ID", "質問", "件数"],
                     "rows": [[i, _faq_question(service, i), n] for i, n in analytics.top_faqs(db)]},
        "unanswered": {"title": "応えられなかった質問（直近30日、上位10件）", "columns": ["質問（伏せ字済み）", "理由", "件数"],
                       "rows": [[g.text or _faq_question(service, g.faq_id),
                                 "・".join(f"{r}{n}" for r, n in g.reason_labels), g.count]
                                for g in analytics.all_groups(db, since=analytics._now() - dt.timedelta(days=30))[:10]]},
        "stale": {"title": f"{months}か月以上確認されていないFAQ", "columns": ["FAQ ID", "質問", "最終確認日"],
                  "rows": [[e.id, e.question, e.verified.isoformat()] for e in stale]},
    }


@router.get("/figures")
def figures(request: Request, current: Viewer, db: DB) -> Response:
    return render(request, "figures.html", current, tables=_tables(request, db))


@router.get("/figures/{name}.csv")
def figures_csv(request: Request, name: str, current: Viewer, db: DB) -> Response:
    tables = _tables(request, db)
    if name not in tables:
        raise ConsoleError(404, "該当する表がありません。", current)
    table = tables[name]
    return csv_download(f"madoguchi-{name}-{analytics.today().isoformat()}.csv", table["columns"],
                        ([spreadsheet_cell(v) for v in row] for row in table["rows"]))
