"""Console pages for applications: list and search, status changes, CSV import from the core system."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.admin import accounts
from api.admin.accounts import Current
from api.admin.paging import Pager
from api.admin.web import DB, ConsoleError, redirect, render, requires
from api.analytics.service import today
from api.applications import notify
from api.linequeue import worker as queue_worker
from api.applications import staff as apps
from api.applications.models import Application
from api.applications.service import STATUS_LABELS, canonical_number
from api.config import get_settings

router = APIRouter(prefix="/admin", include_in_schema=False)
Viewer = Annotated[Current, requires("viewer")]
EditorPost = Annotated[Current, requires("editor", form=True)]
FormText = Annotated[str, Form()]

NOT_FOUND = "該当する申請番号が見つかりません。"
MAX_UPLOAD = 2 * 1024 * 1024
PAGE_SIZE = 50
MAX_PAGE = 200  # 10,000 rows deep; narrow the search to go further
NOTICES = {
    "status": "状況を変更しました。",
    "imported": "CSVを取り込みました。",
}


def _notice(done: str | None, sent: str | None = None) -> str | None:
    text = NOTICES.get(done or "")
    if text and sent and sent.isdigit():
        text += f"お知らせを希望した住民の方 {int(sent)} 人への通知を受け付けました（順にお送りします）。"
    return text


def _list_page(request: Request, current: Current, db, q: str = "", status: str = "", page: int = 1,
               status_code: int = 200, errors: list[str] | None = None, notice: str | None = None) -> Response:
    q, status = q[:100], status if status in STATUS_LABELS else ""
    page = max(1, min(page, MAX_PAGE))
    # the search reads up to the page asked and one row more, which tells whether there is a next page
    found = apps.search(db, q, status, limit=page * PAGE_SIZE + 1)
    pager = Pager("/admin/applications", page, PAGE_SIZE, None, more=len(found) > page * PAGE_SIZE,
                  params={"q": q, "status": status})
    return render(request, "applications.html", current, status_code=status_code,
                  rows=found[pager.offset:pager.offset + PAGE_SIZE], pager=pager, q=q, status=status,
                  labels=STATUS_LABELS, errors=errors or [], notice=notice)


@router.get("/applications")
def applications(request: Request, current: Viewer, db: DB, q: str = "", status: str = "", page: int = 1,
                 done: str | None = None, sent: str | None = None) -> Response:
    return _list_page(request, current, db, q, status, page, notice=_notice(done, sent))


def _application(db, number: str, current: Current) -> Application:
    app = db.get(Application, canonical_number(number) or "")
    if app is None:
        raise ConsoleError(404, NOT_FOUND, current)
    return app


def _detail_page(request: Request, current: Current, app: Application, db, status_code: int = 200,
                 error: str | None = None, notice: str | None = None, form: dict | None = None) -> Response:
    return render(request, "applications_detail.html", current, status_code=status_code, app=app, labels=STATUS_LABELS,
                  subscribers=len(notify.subscribers(db, app.number)), error=error, notice=notice,
                  form=form or {"status": app.status, "date": today().isoformat(), "note": ""})


@router.get("/applications/{number}")
def application_detail(request: Request, number: str, current: Viewer, db: DB, done: str | None = None,
                       sent: str | None = None) -> Response:
    return _detail_page(request, current, _application(db, number, current), db, notice=_notice(done, sent))


# The posts below do their database work (and the CSV's parsing) in a worker thread: residents'
# chat must not stall while an editor imports a file of changes. The notices to subscribers are
# stored by the same commit as the changes (LINE pushes as jobs of the LINE queue, sent after it).
def _notify(db, changed: list) -> int:
    return notify.plan_changes(db, changed, get_settings().city_name)


@router.post("/applications/{number}/status")
async def application_status(request: Request, number: str, current: EditorPost, db: DB, status: FormText = "",
                             date: FormText = "", note: FormText = "") -> Response:
    def change_status():
        app = _application(db, number, current)
        change, why = apps.check(db, app.number, status, date, note)
        if change is None:
            return _detail_page(request, current, app, db, status_code=422, error=why + "。",
                                form={"status": status, "date": date[:20], "note": note[:500]}), None
        was = app.status
        app, event = apps.apply(db, change)
        accounts.audit(db, current.user, "application.status", app.number,
                       {"was": was, "status": change.status, "date": change.on.isoformat(), "note": change.note})
        sent = _notify(db, [(app, event)])
        db.commit()
        return None, (app, sent)

    page, changed = await run_in_threadpool(change_status)
    if page is not None:
        return page
    queue_worker.wake()
    app, sent = changed
    return redirect(f"/admin/applications/{app.number}?done=status&sent={sent}")


@router.post("/applications/import")
async def application_import(request: Request, current: EditorPost, db: DB,
                             file: Annotated[UploadFile | None, File()] = None) -> Response:
    data = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    filename = (file.filename or "")[:200] if file else ""

    def import_rows():
        if not data:
            return _list_page(request, current, db, status_code=422, errors=["CSVファイルを選んでください。"]), None
        if len(data) > MAX_UPLOAD:
            return _list_page(request, current, db, status_code=422, errors=["ファイルが大きすぎます（2MBまで）。"]), None
        try:
            changes = apps.parse_csv(db, data)
        except apps.CsvRejected as exc:
            return _list_page(request, current, db, status_code=422,
                              errors=["取り込みませんでした（1行も書き込んでいません）。次の行を直してから、もう一度取り込んでください。",
                                      *exc.errors[:100]]), None
        changed = [apps.apply(db, change) for change in changes]
        accounts.audit(db, current.user, "application.import", filename,
                       {"rows": len(changes), "numbers": sorted({c.number for c in changes})[:200]})
        sent = _notify(db, changed)
        db.commit()
        return None, sent

    page, sent = await run_in_threadpool(import_rows)
    if page is not None:
        return page
    queue_worker.wake()
    return redirect(f"/admin/applications?done=imported&sent={sent}")
