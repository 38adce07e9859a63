"""Reads a city's garbage-sorting list.

Layouts:

- the デジタル庁 自治体標準オープンデータセット 「ゴミの分別方法一覧」: 全国地方公共団体コード, ID, 品目,
  分別区分, 注意点, 料金種別, 料金, 料金備考, 備考 — headers also with a prefix such as
  `ゴミの分別方法_品目` (anything up to the last `_` is dropped);
- a city's own layout through a column mapping, detected from the headers (Yokohama:
  ID, 頭文字, 品目名, 小型家電回収対象, 出し方, 出し方のポイント) or given explicitly
  (`{"name": "品名", "category": "出し方", …}`).

Bytes are UTF-8 with or without BOM, else CP932. Every row is checked before anything is
returned; problems are reported by the line of the file where the row starts. HTML in the
notes (`<br>`, `<a href>`) becomes plain text, and links become data (`urls`): nothing of
the city's markup reaches a resident as HTML.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field

from api.textnorm import decode_spreadsheet

FIELDS = ("city_code", "item_id", "name", "category", "notes", "fee_kind", "fee", "fee_note", "remarks",
          "small_appliance", "initial", "aliases")
# Header words per field, after NFKC and without a `…_` prefix. The first layout whose
# required headers are all present names the file's layout.
STANDARD = {"city_code": "全国地方公共団体コード", "item_id": "ID", "name": "品目", "category": "分別区分",
            "notes": "注意点", "fee_kind": "料金種別", "fee": "料金", "fee_note": "料金備考", "remarks": "備考"}
YOKOHAMA = {"item_id": "ID", "initial": "頭文字", "name": "品目名", "small_appliance": "小型家電回収対象",
            "category": "出し方", "notes": "出し方のポイント"}
# Other headers cities use for the same things (detected when neither layout fits).
ALIASES = {
    "item_id": ("ID", "No", "No.", "番号", "品目ID", "品目番号"),
    "name": ("品目", "品目名", "品名", "名称", "ごみの名前", "ごみの種類", "品目(名称)", "物品名", "品物", "ごみの品名"),
    "category": ("分別区分", "出し方", "分別", "区分", "分類", "ごみの区分", "出し方(分別区分)"),
    "notes": ("注意点", "出し方のポイント", "ポイント", "注意事項", "出し方の注意", "留意事項", "条件", "注意",
              "出し方・注意点"),
    "fee_kind": ("料金種別",), "fee": ("料金", "手数料"), "fee_note": ("料金備考",), "remarks": ("備考",),
    "city_code": ("全国地方公共団体コード", "地方公共団体コード"),
    "small_appliance": ("小型家電回収対象",), "initial": ("頭文字", "よみがな頭文字", "あいうえお順"),
    # not in the standard: the console's export adds it (other names, one a line or split by 「|」);
    # cities' search words (「キーワード」: the name again and its reading, comma-separated) and a
    # reading column (品目_カナ → カナ) are other names too
    "aliases": ("別名", "別称", "よみがな", "読み", "ふりがな", "キーワード", "検索キーワード", "カナ", "品目カナ", "よみ"),
}
# columns read beside a detected layout when present
OPTIONAL = ("aliases",)
REQUIRED = ("name", "category")
MAX_ROWS = 50_000
MAX_NAME = 300


class GomiImportError(ValueError):
    """The file cannot be imported; `problems` are (line, message) pairs in Japanese."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{line}行目: {msg}" if line else msg for line, msg in problems[:20]))


@dataclass
class ImportedItem:
    item_id: str
    name: str
    category: str
    notes: str = ""
    urls: list[str] = field(default_factory=list)
    fee_kind: str = ""
    fee: str = ""
    fee_note: str = ""
    remarks: str = ""
    small_appliance: bool = False
    initial: str = ""
    aliases: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class ImportedList:
    layout: str
    columns: dict[str, str]  # field → header as written in the file
    items: list[ImportedItem]
    city_code: str | None
    content_hash: str


def _header_key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().strip('"').strip()
    if "_" in text:  # ゴミの分別方法_品目 → 品目
        text = text.rsplit("_", 1)[1]
    return re.sub(r"\s+", "", text)


def detect_columns(headers: list[str]) -> tuple[str, dict[str, str]]:
    """(layout, field → header) from a header row; GomiImportError when name or category is missing."""
    keys = {_header_key(h): h for h in headers if h is not None}
    for layout, spec in (("standard", STANDARD), ("yokohama", YOKOHAMA)):
        if all(spec[f] in keys for f in REQUIRED):
            cols = {f: keys[word] for f, word in spec.items() if word in keys}
            if layout == "yokohama" and not all(w in keys for w in YOKOHAMA.values()):
                break  # some of Yokohama's headers: the general detection below
            for f in OPTIONAL:
                header = next((keys[_header_key(w)] for w in ALIASES[f] if _header_key(w) in keys), None)
                if header is not None and header not in cols.values():
                    cols[f] = header
            return layout, cols
    cols: dict[str, str] = {}
    for f, words in ALIASES.items():
        for word in words:
            k = _header_key(word)
            if k in keys and keys[k] not in cols.values():
                cols[f] = keys[k]
                break
    missing = [f for f in REQUIRED if f not in cols]
    if missing:
        names = {"name": "品目", "category": "分別区分"}
        raise GomiImportError([(1, "見出し行に「" + "」「".join(names[f] for f in missing)
                                + "」にあたる列がありません（列の対応を指定してください）。")])
    return "mapped", cols


_BR = re.compile(r"<\s*br\s*/?\s*>|<\s*/?\s*p\s*/?\s*>", re.I)
_LINK = re.compile(r"<\s*a\b[^>]*?\bhref\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)[^>]*>(.*?)<\s*/\s*a\s*>", re.I | re.S)
# a tag starts with a letter, / or ! (a comment); Japanese in angle brackets is a city's own
# bracket (トレイ(生鮮食料品<惣菜・肉・魚など>の受け皿)), kept as text
_TAG = re.compile(r"<\s*[/!]?\s*[A-Za-z!-][^<>]{0,500}>")
_URL = re.compile(r"https?://[^\s<>\"'（）()「」、。]+")


def safe_text(value: str) -> tuple[str, list[str]]:
    """(plain text, http(s) links) of a note that may hold HTML fragments.

    <br> and <p> become line breaks, a link becomes its text (its address goes to the
    links), every other tag is dropped, entities are decoded, and what is left is plain
    text: a resident's channel never receives the city's markup."""
    urls: list[str] = []

    def link(m: re.Match) -> str:
        href = html.unescape(m.group(1).strip("\"'")).strip()
        if re.match(r"https?://", href, re.I) and href not in urls:
            urls.append(href)
        return m.group(2)

    text = _BR.sub("\n", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = _LINK.sub(link, text)
    text = html.unescape(_TAG.sub("", text))
    text = _TAG.sub("", text)  # tags that were written as entities (&lt;b&gt;)
    for url in _URL.findall(text):
        if url not in urls:
            urls.append(url)
    lines = [re.sub(r"[ \t\u3000]+", " ", unicodedata.normalize("NFKC", line)).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line), urls


SMALL_APPLIANCE_YES = ("◎", "○", "〇", "1", "true", "TRUE", "対象", "はい")
MAX_ALIASES = 30


def split_aliases(value: str) -> list[str]:
    """Other names of an item from a cell or a form: one a line, or split by 「|」, 「、」 or a comma."""
    out: list[str] = []
    for part in re.split(r"[\n|｜、,，]", safe_text(value or "")[0]):
        part = part.strip()[:MAX_NAME]
        if part and part not in out:
            out.append(part)
    return out[:MAX_ALIASES]


def _cell(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def read_list(raw: bytes, columns: dict[str, str] | None = None) -> ImportedList:
    """Every row checked first; GomiImportError with all problems by line, else the list.

    `columns` (field → header) overrides the detection for a city's own layout."""
    try:
        text = decode_spreadsheet(raw)
    except UnicodeDecodeError:
        raise GomiImportError([(0, "文字コードを読み取れません（UTF-8 または Shift_JIS(CP932) で保存してください）。")]) from None
    # (Excel's 「Unicode テキスト」 separates its columns with tabs)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if "\t" in first and "," not in first else ",")
    try:
        headers = next(reader)
    except StopIteration:
        raise GomiImportError([(0, "ファイルが空です。")]) from None
    except csv.Error as exc:
        raise GomiImportError([(1, f"CSVとして読めません（{exc}）。")]) from None
    if columns:
        unknown = [f for f in columns if f not in FIELDS]
        absent = [h for h in columns.values() if h not in headers]
        if unknown or absent or any(f not in columns for f in REQUIRED):
            raise GomiImportError([(1, "列の対応が見出し行と合いません："
                                    + "、".join(unknown + absent or ["品目・分別区分の列が必要です"]))])
        layout, cols = "mapped", dict(columns)
    else:
        layout, cols = detect_columns(headers)
    index = {f: headers.index(h) for f, h in cols.items()}

    items: list[ImportedItem] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    city_codes: set[str] = set()
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append((start, f"CSVとして読めません（{exc}）。"))
            break
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in row):
            continue
        if len(items) + len(problems) >= MAX_ROWS:
            problems.append((line, f"行が多すぎます（{MAX_ROWS}行まで）。"))
            break
        if len(row) > len(headers) and any(c.strip() for c in row[len(headers):]):
            problems.append((line, f"列が多すぎます（見出しは{len(headers)}列、この行は{len(row)}列）。"))
            continue
        get = lambda f: _cell(row[index[f]]) if f in index and index[f] < len(row) else ""  # noqa: E731
        name, category = get("name"), get("category")
        bad = []
        if not name:
            bad.append("品目が空です")
        elif len(name) > MAX_NAME:
            bad.append(f"品目が長すぎます（{MAX_NAME}文字まで）")
        if not category:
            bad.append("分別区分が空です")
        item_id = get("item_id") or str(line)
        if item_id in seen:
            bad.append(f"ID {item_id} が{seen[item_id]}行目と重複しています")
        if bad:
            problems.append((line, "、".join(bad) + "。"))
            continue
        seen[item_id] = line
        notes, urls = safe_text(row[index["notes"]] if "notes" in index and index["notes"] < len(row) else "")
        remarks, more = safe_text(row[index["remarks"]] if "remarks" in index and index["remarks"] < len(row) else "")
        fee_note, more2 = safe_text(row[index["fee_note"]] if "fee_note" in index and index["fee_note"] < len(row) else "")
        code = get("city_code")
        if code:
            city_codes.add(code)
        items.append(ImportedItem(
            item_id=item_id, name=safe_text(name)[0].replace("\n", " "), category=safe_text(category)[0].replace("\n", " "),
            notes=notes, urls=urls + [u for u in more + more2 if u not in urls], fee_kind=get("fee_kind"),
            fee=get("fee"), fee_note=fee_note, remarks=remarks,
            small_appliance=get("small_appliance") in SMALL_APPLIANCE_YES, initial=get("initial")[:20],
            aliases=split_aliases(row[index["aliases"]] if "aliases" in index and index["aliases"] < len(row) else ""),
            line=line))
    if problems:
        raise GomiImportError(problems)
    if not items:
        raise GomiImportError([(0, "品目の行がありません。")])
    return ImportedList(layout=layout, columns=cols, items=items,
                        city_code=sorted(city_codes)[0] if city_codes else None,
                        content_hash=hashlib.sha256(raw).hexdigest())
