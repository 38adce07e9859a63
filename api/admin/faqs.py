"""The console's FAQ pages under /admin/faqs: list, edit, drafts and publishing (with a
preview and a regression check over the city's own questions, api.faq.checkset), history
with restore, and CSV / YAML import and export.

Only question and answer are required; the other fields may be empty (None). A CSV is read
by its headers (api.faq.columns: the names cities use), and entries without an id get one
made from their question (api.faq.ids).

Every write goes through FaqService (database, revision and search engine in step);
the audit row is stored by the same commit. Drafts never reach the live search engine:
previews and checks run on a copy of it (FaqService.preview / regression). A draft of a
published entry is kept beside it (Faq.pending) so that saving it, restoring an old
version or discarding it never changes residents' answers; only 公開する (checked) and
公開を停止 (confirmed) do.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
from typing import Annotated
from urllib.parse import urlencode

import yaml
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from api.admin import accounts
from api.admin.accounts import Current
from api.analytics.service import months_before
from api.admin.web import DB, ConsoleError, csv_download, redirect, render, requires
from api.config import get_settings, read_settings
from api.faq import columns as cols
from api.faq.corpus import document_entries
from api.faq.ids import assign_ids, question_id
from api.faq.langs import EASY, FLAT_FIELDS, HTML_LANG, FLAT_LABELS, LABELS as LANG_LABELS, TRANSLATION_LANGS, flatten, unflatten
from api.faq.models import Faq, FaqRevision
from api.faq.schemas import FaqCreate, FaqOut
from api.faq.service import STATUSES, FaqExists, FaqNotFound, FaqNotPublished, FaqService, snapshot
from api.textnorm import TextError, clean_user_text, decode_spreadsheet

router = APIRouter(prefix="/admin/faqs", include_in_schema=False)

Viewer = Annotated[Current, requires("viewer")]
Editor = Annotated[Current, requires("editor")]
EditorPost = Annotated[Current, requires("editor", form=True)]
FormText = Annotated[str, Form()]

PAGE_SIZE = 50
RESERVED_IDS = {"new", "import", "export"}
STATUS_LABELS = {"published": "公開中", "draft": "下書き"}
# the list's status filter also finds published entries with a pending draft
STATUS_FILTERS = {**STATUS_LABELS, "pending": "下書きあり（公開中）"}
ACTION_LABELS = {"create": "作成", "edit": "編集", "publish": "公開", "restore": "復元", "delete": "削除",
                 "import": "取り込み", "draft": "下書き保存", "discard": "下書き破棄", "unpublish": "公開停止"}
FIELD_LABELS = {"id": "ID", "category": "分類", "question": "質問", "alternatives": "言い換え（1行に1つ）",
                "answer": "回答", "department": "所管課", "phone": "電話番号", "url": "参照URL",
                "verified": "確認日", "status": "状態"}
# the staff's translations as flat fields (answer_easy, question_en, answer_en, …): form fields and columns
ALL_LABELS = {**FIELD_LABELS, **FLAT_LABELS}
CSV_COLUMNS = ["id", "category", "question", "alternatives", "answer", "department", "phone", "url", "verified",
               "status", *FLAT_FIELDS]
NOT_FOUND = "該当するFAQがありません。"
NOTICES = {
    "draft": "下書きとして保存しました。住民の検索には表示されません。",
    "pending": "下書きとして保存しました。公開中の内容は変わっていません。",
    "published": "公開しました。チャットの回答にすぐ反映されます。",
    "restored": "選んだ版の内容を下書きとして復元しました（新しい版として記録しました）。",
    "restored_pending": "選んだ版の内容を下書きにしました。公開中の内容は変わっていません。違いを確かめてから公開してください。",
    "discarded": "下書きを破棄しました。公開中の内容は変わっていません。",
    "unpublished": "公開を停止しました。住民の検索には表示されません。",
    "deleted": "FAQを削除しました。",
}
UNPUBLISH_UNCONFIRMED = "公開を停止すると、住民の検索にこのFAQが表示されなくなります。確認欄にチェックを入れてから停止してください。"
STATE_CHANGED = "このFAQの状態がほかの操作で変わりました。画面を開き直してください。"
MAX_UPLOAD = 5 * 1024 * 1024


def _service(request: Request) -> FaqService:
    return request.app.state.faq


def stale_months() -> int:
    """MADOGUCHI_STALE_MONTHS, read on every use (an operator may change it without a restart)."""
    return read_settings().stale_months


def _stale_before() -> dt.date:
    return months_before(dt.date.today(), stale_months())


# -- validation (the staff API's schema, messages in Japanese) ---------------------------
def _message(err: dict) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind in ("string_too_short", "missing") or "空" in err.get("msg", ""):
        return "入力してください。"
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}文字以内で入力してください。"
    if kind == "too_long":
        return f"{ctx.get('max_length')}件以内にしてください。"
    if kind == "string_pattern_mismatch":
        return "使えない文字が含まれています。"
    if kind == "url_too_long":
        return f"URLは{ctx.get('max_length')}文字以内で入力してください。"
    if kind.startswith("url"):
        return "http:// または https:// で始まるURLを入力してください。"
    if kind.startswith("date"):
        return "日付は 2026-04-01、2026/4/1、令和8年4月1日 のように入力してください。"
    return "入力内容を確かめてください。"


def _split_alternatives(text: str) -> list[str]:
    parts = []
    for line in (text or "").splitlines():
        parts += line.split(" | ")
    return [p.strip() for p in parts if p.strip()]


def _translation_error(err: dict) -> tuple[str, str]:
    """(flat field, message) of an error in the translations (api.faq.schemas._translations says
    which language: its message starts with the language tag)."""
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    lang = msg.split(":", 1)[0].strip()
    if lang in TRANSLATION_LANGS:
        # only the question's length is about the question field; everything else is the answer's
        part = "question" if msg.split(":", 1)[1].strip().startswith("質問は") and lang != EASY else "answer"
        key = next(k for k, (lg, pt) in FLAT_FIELDS.items() if lg == lang and pt == part)
        return key, msg.split(":", 1)[1].strip()
    return "translations", msg


def validate(form: dict) -> tuple[FaqCreate | None, dict[str, str]]:
    """form: strings as typed (alternatives one per line; translations as flat fields,
    answer_easy, question_en …). Returns the entry or errors by field."""
    data = {key: form.get(key, "") for key in FIELD_LABELS if key not in ("alternatives", "status")}
    data["alternatives"] = _split_alternatives(form.get("alternatives", ""))
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    data["translations"] = unflatten(form)
    try:
        entry = FaqCreate(**data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err.get("loc") else "id"
            if field == "translations":
                errors.setdefault(*_translation_error(err))
            elif field == "id" and err.get("type") == "string_pattern_mismatch":
                errors[field] = "IDは半角英小文字・数字・ハイフンで、英数字から始めてください（例：koseki-101）。"
            elif field == "phone" and err.get("type") == "string_pattern_mismatch":
                errors[field] = "電話番号は数字とハイフンで入力してください（例：012-345-6111、012-345-6000（内線123））。"
            else:
                errors.setdefault(field, _message(err))
        return None, errors
    if entry.id in RESERVED_IDS:
        return None, {"id": "このIDは使えません。別のIDにしてください。"}
    return entry, {}


def _form_of(entry: FaqOut | FaqCreate | dict | None) -> dict:
    if entry is None:
        return {key: "" for key in ALL_LABELS} | {"status": "draft"}
    data = entry if isinstance(entry, dict) else entry.model_dump(mode="json")
    form = {key: "" if data.get(key) is None else data[key] for key in FIELD_LABELS}
    form["alternatives"] = "\n".join(data.get("alternatives") or [])
    form["status"] = data.get("status", "draft") or "draft"
    form.update(flatten(data.get("translations")))
    return form


def _changes_digest(changes) -> str:
    raw = json.dumps([c.__dict__ for c in changes], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _row(db, faq_id: str, current: Current) -> Faq:
    row = db.get(Faq, faq_id)
    if row is None or row.deleted:
        raise ConsoleError(404, NOT_FOUND, current)
    return row


def _audit(current: Current, action: str, target: str, details: dict | None = None):
    def write(session, _outs) -> None:
        accounts.audit(session, current.user, action, target, details)
    return write


def _working(row: Faq) -> FaqOut:
    """What the edit page shows and publishes: the pending draft if there is one, else the entry."""
    if row.pending:
        return FaqOut(**row.pending, origin="staff", status=row.status)
    return FaqOut.model_validate(row)


def _written(current: Current, write):
    """Runs a service write; an entry gone or changed meanwhile is an error page, not a 500."""
    try:
        return write()
    except FaqNotFound:
        raise ConsoleError(404, NOT_FOUND, current) from None
    except FaqNotPublished:
        raise ConsoleError(409, STATE_CHANGED, current) from None


# -- list -----------------------------------------------------------------------------
@router.get("")
def faq_list(request: Request, current: Viewer, db: DB, category: str = "", department: str = "",
             status: str = "", stale: str = "", q: str = "", page: int = 1, done: str | None = None) -> Response:
    rows = list(db.scalars(select(Faq).where(Faq.deleted.is_(False)).order_by(Faq.id)))
    categories = sorted({r.category for r in rows if r.category})
    departments = sorted({r.department for r in rows if r.department})
    before = _stale_before()
    if category:
        rows = [r for r in rows if r.category == category]
    if department:
        rows = [r for r in rows if r.department == department]
    if status in STATUSES:
        rows = [r for r in rows if r.status == status]
    elif status == "pending":
        rows = [r for r in rows if r.pending]
    if stale:  # an entry without a date is not "verified long ago": it is shown as 未設定
        rows = [r for r in rows if r.verified is not None and r.verified < before]
    q = q.strip()[:200]
    if q:
        order: dict[str, int] = {}
        try:  # the residents' search engine (published entries), best first
            text = clean_user_text(q, get_settings().max_text_chars)
            for i, hit in enumerate(_service(request).search(text, 20).hits):
                order[hit.id] = i
        except TextError:
            pass
        needle = q.casefold()
        rows = [r for r in rows if r.id in order or needle in r.id.casefold() or needle in r.question.casefold()]
        rows.sort(key=lambda r: (order.get(r.id, len(order)), r.id))
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    params = {k: v for k, v in {"category": category, "department": department, "status": status,
                                  "stale": stale, "q": q}.items() if v}

    def page_url(n: int) -> str:
        return "/admin/faqs?" + urlencode({**params, "page": n})

    return render(request, "faq_list.html", current, rows=shown, total=total, page=page, pages=pages,
                  page_url=page_url, categories=categories, departments=departments,
                  f={"category": category, "department": department, "status": status, "stale": stale, "q": q},
                  stale_before=before, months=stale_months(), statuses=STATUS_LABELS, filters=STATUS_FILTERS,
                  notice=NOTICES.get(done or ""))


# -- export (before /{faq_id}) ----------------------------------------------------------
def _all_rows(db) -> list[Faq]:
    return list(db.scalars(select(Faq).where(Faq.deleted.is_(False)).order_by(Faq.category, Faq.id)))


@router.get("/export.csv")
def export_csv(current: Viewer, db: DB) -> Response:
    # cells as they are (no formula guard): the file is meant to be imported again unchanged;
    # a missing field is an empty cell, which the import reads back as missing
    def cells(r: Faq) -> list[str]:
        data = _form_of(FaqOut.model_validate(r))
        return [data[c] for c in CSV_COLUMNS]
    return csv_download("faqs.csv", CSV_COLUMNS, (cells(r) for r in _all_rows(db)))


class _Literal(str):
    pass


yaml.SafeDumper.add_representer(
    _Literal, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|"))


@router.get("/export.yml")
def export_yaml(current: Viewer, db: DB) -> Response:
    """faq_corpus format (faq_corpus/README.md), one YAML document per category (entries
    without one in a document without `category`); missing fields are left out; `status`
    is added to each entry (ignored by the corpus loader)."""
    docs: dict[str | None, list] = {}
    for r in _all_rows(db):
        translations = {lang: {part: _Literal(text) if "\n" in text else text for part, text in texts.items()}
                        for lang, texts in (r.translations or {}).items()}
        entry = {"id": r.id, "question": r.question, "alternatives": list(r.alternatives or []),
                 "answer": _Literal(r.answer) if "\n" in r.answer else r.answer, "department": r.department,
                 "phone": r.phone, "url": r.url, "verified": r.verified, "status": r.status,
                 "translations": translations or None}
        docs.setdefault(r.category, []).append({k: v for k, v in entry.items() if v is not None})
    text = yaml.safe_dump_all([{"category": c, "entries": e} if c else {"entries": e} for c, e in docs.items()],
                              allow_unicode=True, sort_keys=False, width=1000)
    return Response(text.encode("utf-8"), media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="faqs.yml"', "Cache-Control": "no-store"})


# -- import -----------------------------------------------------------------------------
decode = decode_spreadsheet


HEADER_SEARCH_ROWS = 10  # a title or notes above the headers are skipped, as far as this


def parse_csv(text: str) -> tuple[list[tuple[str, dict]], list[str], list[cols.Column]]:
    """rows: (where, fields as strings) by the file's headers (api.faq.columns); the
    header row is the first of the first HEADER_SEARCH_ROWS rows with a question and an
    answer column. Also returns the columns as read, for the page to show."""
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: list[cols.Column] | None = None
    first: list[cols.Column] | None = None
    rows, start = [], 1
    try:
        for values in reader:
            where, start = f"{start}行目", reader.line_num + 1
            if columns is None:
                if not any(v.strip() for v in values):
                    continue
                found = cols.read_header(values)
                if first is None:
                    first = found
                if not cols.missing(found):
                    columns, width = found, len(values)
                elif reader.line_num >= HEADER_SEARCH_ROWS:
                    break
                continue
            if not any(v.strip() for v in values):
                continue
            if any(v.strip() for v in values[width:]):
                return [], [f"{where}：見出し（{width}列）より右にも値があります。"], columns
            rows.append((where, cols.row_fields(columns, values)))
    except csv.Error as exc:
        too_long = "field larger than field limit" in str(exc)
        return [], [f"{start}行目：" + ("長すぎる欄があります。" if too_long else "CSVとして読めません。")], columns or []
    if columns is None:
        if first is None:
            return [], ["ファイルが空です。"], []
        names = "と".join(FIELD_LABELS[f] for f in cols.missing(first))
        return [], [f"見出しの行が見つかりません：{names}の列が必要です"
                    "（見出しの例：質問・問い・Q、回答・答え・A）。"], first
    return rows, [], columns


def parse_yaml(text: str) -> tuple[list[tuple[str, dict]], list[str]]:
    rows, errors = [], []
    try:
        documents = [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [f"{mark.line + 1 if mark else '?'}行目：YAMLとして読めません。"]
    for d_i, doc in enumerate(documents, 1):
        entries = document_entries(doc)
        if entries is None:
            errors.append(f"文書{d_i}：entries（FAQの一覧）が必要です。")
            continue
        for e_i, raw in enumerate(entries, 1):
            if not isinstance(raw, dict):
                errors.append(f"文書{d_i}・項目{e_i}：形式が正しくありません。")
                continue
            form = {k: "" if raw.get(k) is None else str(raw.get(k)) for k in CSV_COLUMNS}
            translations = raw.get("translations") or {}
            if not isinstance(translations, dict):
                errors.append(f"文書{d_i}・項目{e_i}：translations は 言語: {{question, answer}} の形で書いてください。")
                continue
            for lang, texts in translations.items():  # {lang: {question?, answer}} or {lang: answer}
                texts = texts if isinstance(texts, dict) else {"answer": texts}
                for part, text in texts.items():
                    key = next((k for k, (lg, pt) in FLAT_FIELDS.items() if lg == lang and pt == part), None)
                    if key is None:
                        errors.append(f"文書{d_i}・項目{e_i}：translations の {lang} / {part} は使えません"
                                      f"（言語：{'、'.join(TRANSLATION_LANGS)}）。")
                    elif text is not None:
                        form[key] = str(text)
            alts = raw.get("alternatives") or []
            form["alternatives"] = "\n".join(str(a) for a in alts) if isinstance(alts, list) else str(alts)
            where = f"{e_i}項目目" if len(documents) == 1 else f"文書{d_i}の{e_i}項目目"
            rows.append((where, form))
    return rows, errors


def check_rows(rows: list[tuple[str, dict]], default_status: str = "draft"
               ) -> tuple[list[tuple[FaqCreate, str]], list[str]]:
    """rows: (where, fields as strings), where = "5行目" etc. Every row is checked. Rows
    without an id get one from their question; rows without a status get `default_status`."""
    items, errors, seen = [], [], {}
    ids = assign_ids([(form.get("id"), form.get("question", "")) for _, form in rows])
    for (line, form), faq_id in zip(rows, ids):
        given = (form.get("id") or "").strip()
        entry, errs = validate({**form, "id": faq_id, "alternatives": form.get("alternatives", "")})
        status = cols.status_of(form.get("status") or "", default_status)
        if status is None:
            errs["status"] = "状態は published（公開）か draft（下書き）にしてください。"
        if entry is not None and entry.id in seen:
            errs["id"] = f"ID {entry.id} が{seen[entry.id]}と重複しています。"
        if errs:
            where = line + (f"（ID {given}）" if given else "")
            errors.append(where + "：" + " ".join(f"{ALL_LABELS.get(k, k)}：{v}" for k, v in errs.items()))
        elif entry is not None:
            seen[entry.id] = line
            items.append((entry, status))
    return items, errors


def _import_page(request: Request, current: Current, status_code: int = 200, errors: list[str] | None = None,
                 result: dict | None = None, columns: list[cols.Column] | None = None,
                 default_status: str = "draft") -> Response:
    return render(request, "faq_import.html", current, status_code=status_code, errors=errors or [],
                  result=result, columns=columns, labels=ALL_LABELS, aliases=cols.ALIASES,
                  statuses=STATUS_LABELS, default_status=default_status)


@router.get("/import")
def import_form(request: Request, current: Editor) -> Response:
    return _import_page(request, current)


# Heavy work (parsing a file, writing and indexing entries, the regression check) runs in a
# worker thread: an async handler only awaits the upload or the form, so residents' chat on
# the same event loop never waits for an editor.
@router.post("/import")
async def import_file(request: Request, current: EditorPost, file: Annotated[UploadFile | None, File()] = None,
                      format: FormText = "auto", default_status: FormText = "draft") -> Response:
    raw = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    name = (file.filename or "") if file is not None else ""
    return await run_in_threadpool(_import, request, current, raw, name, format, default_status)


def _import(request: Request, current: Current, raw: bytes, name: str, format: str, default_status: str) -> Response:
    default_status = default_status if default_status in STATUSES else "draft"
    errors: list[str] = []
    if not raw:
        errors = ["ファイルを選んでください。"]
    elif len(raw) > MAX_UPLOAD:
        errors = ["ファイルが大きすぎます（5MBまで）。"]
    if errors:
        return _import_page(request, current, 422, errors, default_status=default_status)
    try:
        text = decode_spreadsheet(raw)
    except UnicodeDecodeError:
        return _import_page(request, current, 422, ["文字コードを読み取れません。UTF-8 か Shift_JIS で保存してください。"],
                            default_status=default_status)
    is_yaml = format == "yaml" or (format == "auto" and name.lower().endswith((".yml", ".yaml")))
    columns = None
    if is_yaml:
        rows, errors = parse_yaml(text)
    else:
        rows, errors, columns = parse_csv(text)
    items, row_errors = check_rows(rows, default_status)
    errors += row_errors
    if not errors and not items:
        errors = ["取り込む行がありません。"]
    if errors:  # nothing is written unless every row is valid
        return _import_page(request, current, 422, errors, columns=columns, default_status=default_status)
    service = _service(request)
    ids = [entry.id for entry, _ in items]
    written: list = []

    def write(session, outs) -> None:
        written.extend(outs)
        accounts.audit(session, current.user, "faq.import", name[:200],
                       {"format": "yaml" if is_yaml else "csv", "rows": len(ids),
                        "changed": [o.id for o in outs][:500]})

    service.save_many(items, current.user.login, "import", on_write=write, skip_unchanged=True)
    result = {"count": len(items), "changed": len(written),
              "published": sum(1 for _, s in items if s == "published")}
    return _import_page(request, current, result=result, columns=columns, default_status=default_status)


# -- create / edit ---------------------------------------------------------------------
def _lang_keys(lang: str) -> tuple[str | None, str]:
    """The flat field names of one language: (question or None, answer)."""
    keys = {part: key for key, (lg, part) in FLAT_FIELDS.items() if lg == lang}
    return keys.get("question"), keys["answer"]


def _edit_page(request: Request, current: Current, *, faq_id: str | None, form: dict, row: Faq | None = None,
               errors: dict | None = None, status_code: int = 200, changes=None, digest: str = "", preview=None,
               ask: str = "", notice: str | None = None, changes_if: str = "公開した場合") -> Response:
    """row: the saved entry (None for a new one); its pending draft, if any, is compared with it.
    changes: the regression check's list, headed "{changes_if}に回答が変わる住民の質問"."""
    return render(request, "faq_edit.html", current, status_code=status_code, faq_id=faq_id, form=form,
                  errors=errors or {}, labels=FIELD_LABELS, changes=changes, changes_if=changes_if,
                  langs=[(lang, LANG_LABELS[lang], _lang_keys(lang)) for lang in TRANSLATION_LANGS],
                  flat_labels=FLAT_LABELS, html_lang=HTML_LANG, lang_names={"ja": "日本語", **LANG_LABELS},
                  digest=digest, preview=preview,
                  ask=ask, notice=notice, statuses=STATUS_LABELS, saved_status=row.status if row else None,
                  pending_diff=draft_diff(snapshot(row), row.pending) if row is not None and row.pending else None,
                  editable=current.may("editor"))


def _preview(request: Request, ask: str, entry: FaqOut | None, lang: str = "ja"):
    """lang: the resident's language the preview asks as (unknown values: Japanese)."""
    ask = ask.strip()
    if not ask:
        return None, ""
    try:
        text = clean_user_text(ask, get_settings().max_text_chars)
    except TextError:
        return None, ask[:500]
    return _service(request).preview(text, entry, lang=lang if lang in TRANSLATION_LANGS else "ja"), text


@router.get("/new")
def faq_new(request: Request, current: Editor, question: str = "") -> Response:
    """?question=… prefills the question (links from the inbox of unmet needs)."""
    _service(request).warm_check()
    form = _form_of(None)
    form["question"] = " ".join(question.split())[:500]
    return _edit_page(request, current, faq_id=None, form=form)


@router.get("/{faq_id}")
def faq_detail(request: Request, faq_id: str, current: Viewer, db: DB, ask: str = "", lang: str = "ja",
               done: str | None = None) -> Response:
    row = _row(db, faq_id, current)
    work = _working(row)
    if current.may("editor"):
        _service(request).warm_check()
    has_draft = bool(row.pending) or row.status == "draft"
    preview, ask = _preview(request, ask, work if has_draft else None, lang)
    return _edit_page(request, current, faq_id=faq_id, form=_form_of(work), row=row, preview=preview, ask=ask,
                      notice=NOTICES.get(done or ""))


@router.post("/new")
async def faq_create(request: Request, current: EditorPost, db: DB) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_save, request, current, db, None, raw)


@router.post("/{faq_id}")
async def faq_save(request: Request, faq_id: str, current: EditorPost, db: DB) -> Response:
    raw = await request.form()
    return await run_in_threadpool(_save, request, current, db, faq_id, raw)


def _save(request: Request, current: Current, db, faq_id: str | None, raw) -> Response:
    """Sync: the regression check takes seconds (a minute on a cold cache); run in a worker thread."""
    if faq_id is not None:
        _row(db, faq_id, current)
    form = {key: str(raw.get(key) or "")[:20000] for key in ALL_LABELS}
    if faq_id is not None:
        form["id"] = faq_id
    elif not form["id"].strip() and form["question"].strip():
        form["id"] = question_id(form["question"])  # as an import names an entry without an id
    action = str(raw.get("action") or "draft")
    row = db.get(Faq, faq_id) if faq_id else None
    entry, errors = validate(form)
    if errors:
        return _edit_page(request, current, faq_id=faq_id, form=form, row=row, errors=errors, status_code=422)
    service = _service(request)
    login = current.user.login
    if action not in ("check", "publish") and row is not None and row.status == "published":
        # residents keep the live entry until this draft is published through the check
        _written(current, lambda: service.save_pending(entry, login, on_write=_audit(current, "faq.draft", entry.id)))
        return redirect(f"/admin/faqs/{entry.id}?done=pending")
    candidate = FaqOut(**entry.model_dump(mode="json"), origin="staff", status="published")
    if action in ("check", "publish"):
        changes = service.regression(candidate)
        digest = _changes_digest(changes)
        confirmed = raw.get("confirm") == "1" and raw.get("digest") == digest
        if action == "check" or (changes and not confirmed):
            code = 200 if action == "check" else 409
            if action == "publish":
                errors = {"confirm": "公開すると回答が変わる質問があります。一覧を確かめ、確認欄にチェックを入れてから公開してください。"}
            return _edit_page(request, current, faq_id=faq_id, form=form, row=row, errors=errors, status_code=code,
                              changes=changes, digest=digest)
        status, rev_action = "published", "publish"
        details = {"changed_questions": len(changes), "from_draft": bool(row is not None and row.pending)}
    else:
        status, rev_action, details = "draft", ("edit" if faq_id else "create"), {}
    new = faq_id is None
    audit_action = "faq.publish" if status == "published" else ("faq.create" if new else "faq.edit")
    try:
        service.save_entry(entry, status, login, rev_action, new=new, drop_pending=True,
                           on_write=_audit(current, audit_action, entry.id, {"status": status, **details}))
    except FaqExists:
        return _edit_page(request, current, faq_id=None, form=form, status_code=409,
                          errors={"id": f"ID {entry.id} は既に使われています。"})
    except FaqNotFound:
        raise ConsoleError(404, NOT_FOUND, current) from None
    return redirect(f"/admin/faqs/{entry.id}?done={'published' if status == 'published' else 'draft'}")


@router.post("/{faq_id}/discard")
def faq_discard(request: Request, faq_id: str, current: EditorPost, db: DB) -> Response:
    if _row(db, faq_id, current).pending:
        _written(current, lambda: _service(request).discard_pending(
            faq_id, current.user.login, on_write=_audit(current, "faq.discard", faq_id)))
    return redirect(f"/admin/faqs/{faq_id}?done=discarded")


@router.post("/{faq_id}/unpublish")
def faq_unpublish(request: Request, faq_id: str, current: EditorPost, db: DB, confirm: FormText = "") -> Response:
    row = _row(db, faq_id, current)
    if row.status != "published":
        return redirect(f"/admin/faqs/{faq_id}")
    if confirm != "1":  # show what residents would lose before asking again
        return _edit_page(request, current, faq_id=faq_id, form=_form_of(_working(row)), row=row, status_code=409,
                          errors={"unpublish": UNPUBLISH_UNCONFIRMED}, changes_if="公開を停止した場合",
                          changes=_service(request).regression(None, remove=faq_id))
    _written(current, lambda: _service(request).unpublish(
        faq_id, current.user.login,
        on_write=_audit(current, "faq.unpublish", faq_id, {"had_draft": bool(row.pending)})))
    return redirect(f"/admin/faqs/{faq_id}?done=unpublished")


@router.post("/{faq_id}/delete")
def faq_delete(request: Request, faq_id: str, current: EditorPost, db: DB) -> Response:
    _row(db, faq_id, current)
    try:
        _service(request).delete_entry(faq_id, current.user.login,
                                       on_write=_audit(current, "faq.delete", faq_id))
    except FaqNotFound:
        raise ConsoleError(404, NOT_FOUND, current) from None
    return redirect("/admin/faqs?done=deleted")


# -- history ----------------------------------------------------------------------------
def _show(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value if value is not None else "").splitlines() or [""]


def field_diff(before: dict | None, after: dict) -> list[dict]:
    """Per field: the lines removed and added (difflib), only for fields that changed (each
    language's question and answer a field of its own)."""
    out = []
    if before is not None:
        before = {**before, **flatten(before.get("translations"))}
    after = {**after, **flatten(after.get("translations"))}
    for key, label in ALL_LABELS.items():
        old = (before or {}).get(key)
        new = after.get(key)
        if before is not None and old == new:
            continue
        if key in FLAT_FIELDS and not old and not new:  # a language nobody wrote
            continue
        lines = []
        for line in difflib.ndiff(_show(old) if before is not None else [], _show(new)):
            if line[:2] in ("- ", "+ ", "  "):
                lines.append({"op": {"- ": "del", "+ ": "add", "  ": "same"}[line[:2]], "text": line[2:]})
        out.append({"field": label, "lines": lines})
    if before is not None and bool(before.get("deleted")) != bool(after.get("deleted")):
        out.append({"field": "削除", "lines": [{"op": "add", "text": "削除済み" if after.get("deleted") else "復活"}]})
    return out


def draft_diff(live: dict, pending: dict) -> list[dict]:
    """A pending draft against the live entry it would replace (the status is not the draft's to change)."""
    return field_diff(live, {**pending, "status": live.get("status"), "deleted": live.get("deleted")})


def _saved_draft(rev: FaqRevision) -> dict | None:
    """The pending draft this revision wrote (a 下書き保存 or a restore to a draft), if it wrote one."""
    return rev.snapshot.get("pending") if rev.action in ("draft", "restore") else None


@router.get("/{faq_id}/history")
def faq_history(request: Request, faq_id: str, current: Viewer, db: DB) -> Response:
    revisions = list(db.scalars(select(FaqRevision).where(FaqRevision.faq_id == faq_id)
                                .order_by(FaqRevision.number)))
    if not revisions:
        raise ConsoleError(404, NOT_FOUND, current)
    items, previous = [], None
    for rev in revisions:
        draft = _saved_draft(rev)
        items.append({"rev": rev, "diff": field_diff(previous, rev.snapshot),
                      "draft_diff": draft_diff(rev.snapshot, draft) if draft else None})
        previous = rev.snapshot
    items.reverse()
    row = db.get(Faq, faq_id)
    deleted = row is None or row.deleted
    return render(request, "faq_history.html", current, faq_id=faq_id, items=items, actions=ACTION_LABELS,
                  statuses=STATUS_LABELS, deleted=deleted, live=not deleted and row.status == "published",
                  editable=current.may("editor"))


@router.post("/{faq_id}/restore")
def faq_restore(request: Request, faq_id: str, current: EditorPost, db: DB,
                      number: FormText = "") -> Response:
    """Never publishes: a published entry gets the version as its pending draft (published
    later through the check), any other entry (a draft, or a deleted one) becomes that draft."""
    rev = db.scalar(select(FaqRevision).where(FaqRevision.faq_id == faq_id,
                                             FaqRevision.number == (int(number) if number.isdigit() else -1)))
    if rev is None or rev.snapshot.get("deleted"):
        raise ConsoleError(404, "復元する版が見つかりません。", current)
    content = _saved_draft(rev) or rev.snapshot
    try:
        entry = FaqCreate(**{k: content[k] for k in FIELD_LABELS if k != "status"},
                          translations=content.get("translations") or {})
    except ValidationError:
        raise ConsoleError(409, "この版は今の入力規則に合わないため、復元できません。編集画面で直してください。",
                           current) from None
    row = db.get(Faq, faq_id)
    live = row is not None and not row.deleted and row.status == "published"
    audit = _audit(current, "faq.restore", faq_id, {"revision": rev.number, "status": "published" if live else "draft",
                                                    "as_pending_draft": live})
    service, login = _service(request), current.user.login
    if live:
        _written(current, lambda: service.save_pending(entry, login, "restore", on_write=audit))
        return redirect(f"/admin/faqs/{faq_id}?done=restored_pending")
    service.save_entry(entry, "draft", login, "restore", drop_pending=True, on_write=audit)
    return redirect(f"/admin/faqs/{faq_id}?done=restored")
