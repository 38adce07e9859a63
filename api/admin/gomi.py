"""The console's ごみ分別 pages under /admin/gomi: the list with the residents' own search,
an item's page (edit, add), a city's file imported through a preview, the export, and each
dataset's attribution (出典); and from the inbox, an item residents asked for that the list
lacks, added as an item or as another name of one.

Every write goes through GomiService (database, then the matcher rebuilt: residents' next
question sees it); the audit row is stored by the same commit. Reading a file and
rebuilding the matcher run in a worker thread, as the FAQ import does.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.admin import accounts
from api.admin.accounts import Current
from api.admin.paging import Pager
from api.admin.web import DB, ConsoleError, csv_download, redirect, render, requires
from api.analytics import service as analytics
from api.config import get_settings
from api.gomi.export import LAYOUTS, table
from api.gomi.importer import MAX_NAME, GomiImportError, ImportedList, read_list, split_aliases
from api.gomi.service import GomiService
from api.gomi.topic import faq_reading
from api.textnorm import TextError, clean_user_text

router = APIRouter(prefix="/admin/gomi", include_in_schema=False)
Viewer = Annotated[Current, requires("viewer")]
Editor = Annotated[Current, requires("editor")]
EditorPost = Annotated[Current, requires("editor", form=True)]
FormText = Annotated[str, Form()]

PAGE_SIZE = 50
PREVIEW_ROWS = 20
MAX_UPLOAD = 10 * 1024 * 1024  # Yokohama's 3,413 items are 0.4 MB
FIELD_LABELS = {"name": "品目", "aliases": "別名・読み（1行に1つ）", "category": "分別区分", "notes": "注意点",
                "fee_kind": "料金種別", "fee": "料金", "fee_note": "料金備考", "remarks": "備考",
                "urls": "詳しいページのURL（1行に1つ）"}
LIMITS = {"name": MAX_NAME, "category": 200, "notes": 5000, "fee_kind": 100, "fee": 100, "fee_note": 2000,
          "remarks": 5000}
KIND_LABELS = {"item": "回答", "choices": "選択肢を示す", "suggest": "もしかして"}
NOTICES = {
    "saved": "保存しました。チャットの回答にすぐ反映されます。",
    "created": "品目を追加しました。チャットの回答にすぐ反映されます。",
    "attribution": "出典を保存しました。回答に表示される出典がすぐ変わります。",
    "alias": "別名として追加しました。チャットの回答にすぐ反映されます。",
    "alias_known": "その品目には、すでに同じ別名があります。",
}
NOT_FOUND = "該当する品目がありません。"
NO_DATASET = "ごみ分別の一覧が見つかりません。先に一覧を取り込んでください。"
_URL = re.compile(r"^https?://[^\s<>\"']{1,490}$")


def _service(request: Request) -> GomiService:
    return request.app.state.gomi


def _clean(text: str) -> str:
    try:
        return clean_user_text(text, get_settings().max_text_chars) if text.strip() else ""
    except TextError:
        return ""


# -- list and search ----------------------------------------------------------------------
@router.get("")
def gomi_list(request: Request, current: Viewer, q: str = "", dataset: int = 0, page: int = 1,
              done: str | None = None) -> Response:
    """With q: what a resident asking q is answered (the same matcher), then the items whose
    name or other names contain q. Without: every item, a page at a time."""
    service = _service(request)
    q = " ".join(q.split())[:200]
    rows = [r for r in service.rows.values() if not dataset or r["id"].split(".", 1)[0] == str(dataset)]
    answer = None
    if q:
        text = _clean(q)
        answer = service.match(text, faq_reading(request.app.state.faq)) if text else None
        needle = q.casefold()
        rows = [r for r in rows if needle in r["name"].casefold() or any(needle in a.casefold() for a in r["aliases"])]
    params = {"q": q, "dataset": dataset or ""}
    pager = Pager("/admin/gomi", page, PAGE_SIZE, len(rows), params=params)
    return render(request, "gomi_list.html", current, rows=rows[pager.offset:pager.offset + PAGE_SIZE], pager=pager,
                  q=q, dataset=dataset, datasets=service.datasets(), answer=answer, kinds=KIND_LABELS,
                  notice=NOTICES.get(done or ""), editable=current.may("editor"))


# -- an item: show, edit, add ----------------------------------------------------------------
def _form_of(item: dict | None, **prefill) -> dict:
    form = {k: "" for k in FIELD_LABELS}
    if item:
        form.update({k: item.get(k) or "" for k in FIELD_LABELS if k not in ("aliases", "urls")})
        form["aliases"], form["urls"] = "\n".join(item["aliases"]), "\n".join(item["urls"])
    form.update({k: v for k, v in prefill.items() if k in form})
    return form


def validate(form: dict) -> tuple[dict, dict[str, str]]:
    """The item's fields from the form as typed, or errors by field (in Japanese)."""
    errors: dict[str, str] = {}
    fields: dict = {}
    for key, limit in LIMITS.items():
        value = "\n".join(line.strip() for line in str(form.get(key) or "").strip().splitlines())
        if key in ("name", "category", "fee_kind", "fee"):
            value = " ".join(value.split())
        if key in ("name", "category") and not value:
            errors[key] = "入力してください。"
        elif len(value) > limit:
            errors[key] = f"{limit}文字以内で入力してください。"
        fields[key] = value
    fields["aliases"] = split_aliases(str(form.get("aliases") or ""))
    urls = [u.strip() for u in str(form.get("urls") or "").splitlines() if u.strip()]
    if any(not _URL.match(u) for u in urls):
        errors["urls"] = "http:// または https:// で始まるURLを、1行に1つずつ入力してください。"
    fields["urls"] = list(dict.fromkeys(urls))[:10]
    return fields, errors


def _item_page(request: Request, current: Current, *, uid: str | None, form: dict, dataset_id: int,
               errors: dict | None = None, status_code: int = 200, notice: str | None = None,
               item: dict | None = None, inbox_key: str = "") -> Response:
    return render(request, "gomi_item.html", current, status_code=status_code, uid=uid, form=form,
                  labels=FIELD_LABELS, errors=errors or {}, item=item, dataset_id=dataset_id, notice=notice,
                  datasets=_service(request).datasets(), editable=current.may("editor"), inbox_key=inbox_key)


def _first_dataset(request: Request, current: Current) -> int:
    sets = _service(request).datasets()
    if not sets:
        raise ConsoleError(409, NO_DATASET, current)
    return sets[0].id


@router.get("/items/new")
def item_new(request: Request, current: Editor, name: str = "", dataset: int = 0, key: str = "") -> Response:
    """?name=… prefills the name (the inbox's items residents asked for); ?key=… closes that inbox row."""
    dataset = dataset or _first_dataset(request, current)
    return _item_page(request, current, uid=None, form=_form_of(None, name=" ".join(name.split())[:MAX_NAME]),
                      dataset_id=dataset, inbox_key=key[:300])


@router.get("/items/{uid}")
def item_detail(request: Request, uid: str, current: Viewer, done: str | None = None) -> Response:
    item = _service(request).get(uid)
    if item is None:
        raise ConsoleError(404, NOT_FOUND, current)
    return _item_page(request, current, uid=uid, form=_form_of(item), item=item,
                      dataset_id=int(uid.split(".", 1)[0]), notice=NOTICES.get(done or ""))


def _changes(before: dict | None, fields: dict) -> dict:
    return {k: v for k, v in fields.items() if before is None or before.get(k) != v}


@router.post("/items/new")
async def item_create(request: Request, current: EditorPost, db: DB) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_save, request, current, db, None, raw)


@router.post("/items/{uid}")
async def item_save(request: Request, uid: str, current: EditorPost, db: DB) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_save, request, current, db, uid, raw)


def _save(request: Request, current: Current, db, uid: str | None, raw) -> Response:
    """Sync: the matcher is rebuilt (a tenth of a second for 3,000 items); run in a worker thread."""
    service = _service(request)
    before = service.get(uid) if uid else None
    if uid and before is None:
        raise ConsoleError(404, NOT_FOUND, current)
    form = {k: str(raw.get(k) or "")[:20000] for k in FIELD_LABELS}
    key = str(raw.get("key") or "")[:300]
    try:
        dataset_id = int(uid.split(".", 1)[0]) if uid else int(str(raw.get("dataset") or "0"))
    except ValueError:
        dataset_id = 0
    fields, errors = validate(form)
    if errors:
        return _item_page(request, current, uid=uid, form=form, dataset_id=dataset_id, errors=errors,
                          status_code=422, item=before, inbox_key=key)
    changes = _changes(before, fields)
    group = analytics.find_group(db, key) if key and uid is None else None

    def audit(session, new_uid: str) -> None:
        accounts.audit(session, current.user, "gomi.item_create" if uid is None else "gomi.item_edit", new_uid,
                       {"changed": changes} if uid else {"name": fields["name"], "category": fields["category"]})
        if group is not None:  # the inbox row this item answers
            analytics.decide(session, group.key, "gomi_item", current.user.login)

    if uid is not None and not changes:
        return redirect(f"/admin/gomi/items/{quote(uid, safe='')}?done=saved")
    try:
        new_uid = service.save_item(dataset_id, uid.split(".", 1)[1] if uid else None, fields, on_write=audit)
    except KeyError:
        raise ConsoleError(404, NOT_FOUND if uid else NO_DATASET, current) from None
    return redirect(f"/admin/gomi/items/{quote(new_uid, safe='')}?done={'created' if uid is None else 'saved'}")


# -- dataset: attribution, export ---------------------------------------------------------------
def _dataset(request: Request, dataset_id: int, current: Current):
    ds = _service(request).dataset(dataset_id)
    if ds is None:
        raise ConsoleError(404, NO_DATASET, current)
    return ds


@router.get("/datasets/{dataset_id}")
def dataset_detail(request: Request, dataset_id: int, current: Viewer, done: str | None = None) -> Response:
    ds = _dataset(request, dataset_id, current)
    return render(request, "gomi_dataset.html", current, ds=ds, errors={}, layouts=LAYOUTS,
                  form={"attribution": ds.attribution, "source_url": ds.source_url or "", "license": ds.license or ""},
                  notice=NOTICES.get(done or ""), editable=current.may("editor"))


@router.post("/datasets/{dataset_id}")
def dataset_save(request: Request, dataset_id: int, current: EditorPost, attribution: FormText = "",
                 source_url: FormText = "", license: FormText = "") -> Response:
    ds = _dataset(request, dataset_id, current)
    form = {"attribution": " ".join(attribution.split())[:1000], "source_url": source_url.strip()[:500],
            "license": " ".join(license.split())[:100]}
    errors = {}
    if not form["attribution"]:
        errors["attribution"] = "出典を入力してください（オープンデータの利用条件で表示が求められます）。"
    if form["source_url"] and not _URL.match(form["source_url"]):
        errors["source_url"] = "http:// または https:// で始まるURLを入力してください。"
    if errors:
        return render(request, "gomi_dataset.html", current, status_code=422, ds=ds, errors=errors, layouts=LAYOUTS,
                      form=form, notice=None, editable=True)

    def audit(session) -> None:
        accounts.audit(session, current.user, "gomi.attribution", ds.name,
                       {"attribution": form["attribution"], "source_url": form["source_url"],
                        "license": form["license"]})

    _service(request).set_attribution(dataset_id, form["attribution"], form["source_url"] or None,
                                      form["license"] or None, on_write=audit)
    return redirect(f"/admin/gomi/datasets/{dataset_id}?done=attribution")


@router.get("/datasets/{dataset_id}/export.csv")
def dataset_export(request: Request, dataset_id: int, current: Viewer, layout: str = "file") -> Response:
    """UTF-8 with a BOM (Excel opens it as such); cells as they are: the file is for importing again."""
    ds = _dataset(request, dataset_id, current)
    headers, rows = table(ds, _service(request).items_of(dataset_id), layout if layout in LAYOUTS else "file")
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", ds.name.rsplit(".", 1)[0])[:80] or "gomi"
    return csv_download(f"{stem}-{'standard' if layout == 'standard' else 'export'}.csv", headers, rows)


# -- import: upload, preview, confirm ----------------------------------------------------------------
@dataclass
class _Upload:
    user_id: int
    name: str
    raw: bytes
    parsed: ImportedList
    at: float


class _Uploads:
    """Files read and shown in a preview, waiting for the editor who uploaded them to confirm
    (30 minutes, the last few): the confirmation imports exactly what the preview showed."""

    TTL, KEEP = 1800.0, 8

    def __init__(self):
        self._lock = threading.Lock()
        self._items: dict[str, _Upload] = {}

    def put(self, upload: _Upload) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            now = time.monotonic()
            self._items = {k: v for k, v in self._items.items() if now - v.at < self.TTL}
            while len(self._items) >= self.KEEP:
                self._items.pop(next(iter(self._items)))
            self._items[token] = upload
        return token

    def take(self, token: str, user_id: int) -> _Upload | None:
        with self._lock:
            upload = self._items.get(token)
            if upload is None or upload.user_id != user_id or time.monotonic() - upload.at >= self.TTL:
                return None
            return self._items.pop(token)


uploads = _Uploads()


def _import_page(request: Request, current: Current, status_code: int = 200, **context) -> Response:
    context = {"errors": [], "problems": [], "preview": None, "token": "", "form": {}, **context}
    return render(request, "gomi_import.html", current, status_code=status_code, labels=FIELD_LABELS, **context)


@router.get("/import")
def import_form(request: Request, current: Editor) -> Response:
    return _import_page(request, current)


@router.post("/import")
async def import_preview(request: Request, current: EditorPost, file: Annotated[UploadFile | None, File()] = None,
                         name: FormText = "", attribution: FormText = "", source_url: FormText = "",
                         license: FormText = "") -> Response:
    raw = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    form = {"name": " ".join((name or filename).split())[:200], "attribution": " ".join(attribution.split())[:1000],
            "source_url": source_url.strip()[:500], "license": " ".join(license.split())[:100]}
    return await run_in_threadpool(_preview, request, current, raw, form)


def _preview(request: Request, current: Current, raw: bytes, form: dict) -> Response:
    errors = []
    if not raw:
        errors.append("ファイルを選んでください。")
    elif len(raw) > MAX_UPLOAD:
        errors.append("ファイルが大きすぎます（10MBまで）。")
    if not form["name"]:
        errors.append("一覧の名前を入力してください。")
    if form["source_url"] and not _URL.match(form["source_url"]):
        errors.append("出典のURLは http:// または https:// で始めてください。")
    if errors:
        return _import_page(request, current, 422, errors=errors, form=form)
    try:
        parsed = read_list(raw)
    except GomiImportError as exc:  # every bad row, by its line in the file; nothing imported
        return _import_page(request, current, 422, problems=exc.problems, form=form)
    token = uploads.put(_Upload(current.user.id, form["name"], raw, parsed, time.monotonic()))
    existing = next((d for d in _service(request).datasets() if d.name == form["name"]), None)
    return _import_page(request, current, form=form, token=token, existing=existing,
                        preview={"layout": parsed.layout, "columns": parsed.columns, "count": len(parsed.items),
                                 "rows": parsed.items[:PREVIEW_ROWS]})


@router.post("/import/confirm")
async def import_confirm(request: Request, current: EditorPost, token: FormText = "", attribution: FormText = "",
                         source_url: FormText = "", license: FormText = "") -> Response:
    upload = uploads.take(token, current.user.id)
    if upload is None:
        return _import_page(request, current, 409, errors=["確認の期限が切れたか、すでに取り込みました。もう一度ファイルを選んでください。"])
    attribution = " ".join(attribution.split())[:1000] or f"出典：{upload.name}"
    return await run_in_threadpool(_import, request, current, upload, attribution, source_url.strip()[:500] or None,
                                   " ".join(license.split())[:100] or None)


def _import(request: Request, current: Current, upload: _Upload, attribution: str, source_url: str | None,
            license: str | None) -> Response:
    service = _service(request)
    result = service.import_bytes(upload.name, upload.raw, attribution, source_url, license, imported=upload.parsed)
    service.reload_and_tell()
    with service.sessions() as session:
        accounts.audit(session, current.user, "gomi.import", upload.name[:200],
                       {"layout": upload.parsed.layout, "items": len(upload.parsed.items),
                        "kept": result.get("kept", 0), "changed": result["changed"]})
        session.commit()
    return _import_page(request, current, result=result)


# -- from the inbox: another name of an existing item ---------------------------------------------------
@router.get("/alias")
def alias_choose(request: Request, current: Editor, db: DB, key: str = "", q: str = "") -> Response:
    group = analytics.find_group(db, key)
    if group is None or not group.key.startswith("gomi:"):
        raise ConsoleError(404, "この項目は見つかりませんでした。一覧を開き直してください。", current)
    name = group.key.split(":", 1)[1]
    q = " ".join(q.split())[:100] or name
    needle = q.casefold()
    service = _service(request)
    hits = [r for r in service.rows.values()
            if needle in r["name"].casefold() or any(needle in a.casefold() for a in r["aliases"])][:20]
    return render(request, "gomi_alias.html", current, g=group, name=name, q=q, hits=hits)


@router.post("/alias")
def alias_add(request: Request, current: EditorPost, db: DB, key: FormText = "", uid: FormText = "",
              alias: FormText = "") -> Response:
    group = analytics.find_group(db, key)
    alias = " ".join(alias.split())[:MAX_NAME]
    service = _service(request)
    if group is None or service.get(uid) is None or not alias:
        raise ConsoleError(404, NOT_FOUND, current)

    def audit(session, _uid) -> None:
        accounts.audit(session, current.user, "gomi.add_alias", uid, {"alias": alias, "group": group.key})
        analytics.decide(session, group.key, "gomi_alias", current.user.login)

    added = service.add_alias(uid, alias, on_write=audit)
    if not added:  # already known: the row is closed all the same
        analytics.decide(db, group.key, "gomi_alias", current.user.login)
        db.commit()
    return redirect(f"/admin/gomi/items/{quote(uid, safe='')}?done={'alias' if added else 'alias_known'}")
