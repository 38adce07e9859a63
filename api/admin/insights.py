"""Console pages built on conversation analytics: the inbox of unmet needs and the figures."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.admin import accounts
from api.admin.accounts import Current
from api.admin.paging import Pager
from api.admin.web import DB, ConsoleError, csv_download, redirect, render, requires, spreadsheet_cell
from api.analytics import service as analytics
from api.config import get_settings
from api.faq.langs import EASY, LABELS as LANG_LABELS, TRANSLATION_LANGS
from api.faq.schemas import FaqOut, FaqUpdate
from api.admin.faqs import stale_months
from api.faq.service import FaqNotFound, FaqService
from api.textnorm import TextError, clean_user_text

router = APIRouter(prefix="/admin", include_in_schema=False)
Viewer = Annotated[Current, requires("viewer")]
Editor = Annotated[Current, requires("editor")]
EditorPost = Annotated[Current, requires("editor", form=True)]
FormText = Annotated[str, Form()]

GROUP_GONE = "この項目は見つかりませんでした。一覧を開き直してください。"
NOTICES = {
    "dismissed": "この項目を一覧から外しました。同じ内容の質問が新たに届くと、再び表示されます。",
    "alternative": "言い換えとしてFAQに追加しました。検索にすぐ反映されています。",
}
ALT_FAILED = "FAQに追加できませんでした: {why}"
PAGE_SIZE = 50  # inbox groups a page
PICK_SIZE = 10  # FAQs offered when choosing where a wording goes
STALE_SHOWN = 50  # FAQs listed on the figures page; the CSV and the FAQ list have them all
MOST_ASKED = 20  # the most asked entries checked for missing translations


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
def _page(raw: str | int | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _back(done: str, page: int) -> Response:
    return redirect(f"/admin/inbox?done={done}" + (f"&page={page}" if page > 1 else ""))


def _quick_faq(service: FaqService, g: analytics.Group) -> FaqOut | None:
    """The FAQ the search engine found closest, still published: offered as a one-click target
    (not for 👎 groups, whose FAQ is the answer residents found wrong)."""
    if not (g.key.startswith("faq:") and g.text and g.faq_id):
        return None
    try:
        return service.get(g.faq_id)
    except FaqNotFound:
        return None


def _new_faq_url(g: analytics.Group) -> str:
    return "/admin/faqs/new?question=" + quote(g.text, safe="")


@router.get("/inbox")
def inbox(request: Request, current: Viewer, db: DB, done: str | None = None, page: int = 1) -> Response:
    service = _faq(request)
    pager = Pager("/admin/inbox", page, PAGE_SIZE, analytics.count_groups(db, open_only=True))
    groups = analytics.groups(db, open_only=True, limit=PAGE_SIZE, offset=pager.offset)
    rows = [{"g": g, "faq_question": _faq_question(service, g.faq_id), "quick": _quick_faq(service, g),
             "new_faq_url": _new_faq_url(g)} for g in groups]
    return render(request, "inbox.html", current, rows=rows, pager=pager, notice=NOTICES.get(done or ""))


def _group(db, key: str, current: Current) -> analytics.Group:
    group = analytics.find_group(db, key)
    if group is None:
        raise ConsoleError(404, GROUP_GONE, current)
    return group


def _matches(service: FaqService, q: str) -> list[FaqOut]:
    """The FAQs a staff member looks for: the entry whose id was typed, then the search's
    best matches (the residents' search engine, published entries)."""
    found: dict[str, FaqOut] = {}
    try:
        found[q] = service.get(q)
    except FaqNotFound:
        pass
    for hit in service.search(q, PICK_SIZE).hits:
        try:
            found.setdefault(hit.id, service.get(hit.id))
        except FaqNotFound:  # removed since the search
            continue
    return list(found.values())[:PICK_SIZE]


def _choose_page(request: Request, current: Current, group: analytics.Group, q: str, text: str, page: int,
                 status_code: int = 200, error: str | None = None) -> Response:
    q = " ".join(q.split())[:200]
    try:
        hits = _matches(_faq(request), clean_user_text(q, get_settings().max_text_chars)) if q else []
    except TextError:
        hits = []
    return render(request, "inbox_faq.html", current, status_code=status_code, g=group, q=q, hits=hits,
                  text=" ".join((text or group.text).split())[:500], page=page, error=error,
                  faq_question=_faq_question(_faq(request), group.faq_id), new_faq_url=_new_faq_url(group))


@router.get("/inbox/faq")
def inbox_choose_faq(request: Request, current: Editor, db: DB, key: str = "", q: str = "", text: str = "",
                     page: int = 1) -> Response:
    """Choosing the FAQ a wording is added to: the search's best matches, one button each
    (an inbox row lists none: a list of every FAQ per row made the page too big to open)."""
    return _choose_page(request, current, _group(db, key, current), q, text, _page(page))


@router.post("/inbox/dismiss")
def inbox_dismiss(current: EditorPost, db: DB, key: FormText = "", page: FormText = "") -> Response:
    group = _group(db, key, current)
    analytics.decide(db, group.key, "dismiss", current.user.login)
    accounts.audit(db, current.user, "inbox.dismiss", group.key, {"count": group.count, "text": group.text})
    db.commit()
    return _back("dismissed", _page(page))


@router.post("/inbox/alternative")
def inbox_alternative(request: Request, current: EditorPost, db: DB, key: FormText = "", faq_id: FormText = "",
                      text: FormText = "", page: FormText = "") -> Response:
    """Adds the wording as an alternative phrasing of an FAQ: live in the search at once."""
    group = _group(db, key, current)
    service = _faq(request)
    wording = " ".join((text or group.text).split())[:500]

    def failed(why: str) -> Response:
        return _choose_page(request, current, group, wording or group.text, wording, _page(page), status_code=422,
                            error=ALT_FAILED.format(why=why))

    try:
        entry = service.get(faq_id)
    except FaqNotFound:
        return failed("FAQを選んでください。")
    if not wording:
        return failed("言い換えの文が空です。")
    if wording in entry.alternatives or wording == entry.question:
        analytics.decide(db, group.key, "alternative", current.user.login)
        db.commit()
        return _back("alternative", _page(page))
    fields = entry.model_dump(exclude={"id", "origin"})
    fields["alternatives"] = [*entry.alternatives, wording]
    try:
        data = FaqUpdate(**fields)
        service.update_entry(entry.id, data, actor=current.user.login)
    except (ValidationError, FaqNotFound) as exc:
        return failed("言い換えが多すぎるか、内容が正しくありません。" if isinstance(exc, ValidationError)
                      else "FAQが見つかりません。")
    analytics.decide(db, group.key, "alternative", current.user.login)
    accounts.audit(db, current.user, "faq.add_alternative", entry.id, {"alternative": wording, "group": group.key})
    db.commit()
    return _back("alternative", _page(page))


# -- figures --------------------------------------------------------------------------
def language_coverage(entries: list[FaqOut]) -> list[list]:
    """Per language: how many published entries have the staff's answer in it, of all, and the share."""
    total = len(entries)
    rows = []
    for lang in TRANSLATION_LANGS:
        have = sum(1 for e in entries if (e.translations.get(lang) or {}).get("answer"))
        rows.append([LANG_LABELS[lang], have, total, f"{round(100 * have / total) if total else 0}%"])
    return rows


def missing_languages(entry: FaqOut) -> str:
    """The languages an entry has no answer in, as a short Japanese phrase."""
    missing = [lang for lang in TRANSLATION_LANGS if not (entry.translations.get(lang) or {}).get("answer")]
    if len(missing) == len(TRANSLATION_LANGS):
        return "すべて（やさしい日本語・外国語）"
    return "、".join(LANG_LABELS[lang].split(" ")[0] for lang in missing)


def _most_asked_missing(service: FaqService, db) -> list[list]:
    """The most used entries (last 30 days) that lack an easy-Japanese answer or one of the languages;
    those without an easy answer first: it is what every foreign resident gets when their own is missing."""
    rows = []
    for faq_id, count in analytics.top_faqs(db, n=MOST_ASKED):
        try:
            entry = service.get(faq_id)
        except FaqNotFound:
            continue
        gaps = missing_languages(entry)  # "" when every language has an answer
        if gaps:
            rows.append([entry.id, entry.question, count, gaps, not (entry.translations.get(EASY) or {}).get("answer")])
    rows.sort(key=lambda r: (not r[4], -r[2]))
    return [r[:4] for r in rows]


def _tables(request: Request, db) -> dict[str, dict]:
    """Every figure as a table: title, column names, rows (the charts and the CSVs use these)."""
    service = _faq(request)
    daily = analytics.daily_conversations(db)
    out = analytics.outcomes(db)
    fb = analytics.feedback_counts(db)
    months = stale_months()
    cutoff = analytics.months_before(analytics.today(), months)
    # an entry without a date (common in a city's own export) is not "verified long ago"
    stale = sorted((e for e in service.list() if e.verified is not None and e.verified < cutoff),
                   key=lambda e: e.verified)
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
                                for g in analytics.groups(db, since=analytics.since_days(30), limit=10)]},
        "live_chats": {"title": "職員チャット（直近30日、担当課別）",
                       "columns": ["担当課", "受付", "職員が対応", "問い合わせに切り替え", "対応前に終了", "待ち時間の中央値（秒）",
                                   "職員からの申し出 / 応じた"],
                       "rows": live_figures(db, analytics.since_days(30))},
        # a real city has hundreds of these: the page shows the oldest, the CSV and the FAQ list all
        "languages": {"title": "やさしい日本語・外国語の回答がある公開中のFAQ",
                      "columns": ["言語", "回答のあるFAQ", "公開中のFAQ", "割合"],
                      "rows": language_coverage(service.list())},
        "languages_missing": {"title": f"よく使われたFAQ（直近30日、上位{MOST_ASKED}件）のうち、回答がない言語があるもの",
                              "columns": ["FAQ ID", "質問", "件数", "回答がない言語"],
                              "rows": _most_asked_missing(service, db)},
        "stale": {"title": f"{months}か月以上確認されていないFAQ", "columns": ["FAQ ID", "質問", "最終確認日"],
                  "rows": [[e.id, e.question, e.verified.isoformat()] for e in stale],
                  "shown": STALE_SHOWN, "more_url": "/admin/faqs?stale=1"},
    }


def live_figures(db, since) -> list[list]:
    from api.handover.service import figures

    return figures(db, since)


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
