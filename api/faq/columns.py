"""Which column of a city's FAQ spreadsheet is which field: the headers cities use
(質問, 回答, 担当課, 電話番号, URL, 分類, 更新日 …) and our own export's English names.

Headers are compared after NFKC, case folding and without spaces, brackets and
punctuation, so "Ｑ", "No." and "【質問】" are read as "q", "no" and "質問".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from api.faq.langs import FLAT_FIELDS, FLAT_LABELS

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ID", "番号", "No", "FAQ番号"),
    "question": ("question", "質問", "問い", "Q", "質問内容", "FAQ", "質問文"),
    "answer": ("answer", "回答", "答え", "A", "回答内容", "回答文"),
    "alternatives": ("alternatives", "言い換え", "別の聞き方"),
    "category": ("category", "カテゴリ", "分類", "カテゴリー", "大分類"),
    "department": ("department", "担当課", "所管課", "問い合わせ先", "問合せ先", "お問い合わせ先", "担当部署",
                   "担当"),
    "phone": ("phone", "電話番号", "電話", "TEL"),
    "url": ("url", "URL", "リンク", "関連URL", "参考URL"),
    "verified": ("verified", "更新日", "確認日", "最終更新日"),
    "status": ("status", "状態", "公開状態"),
    # staff translations (api.faq.langs): answer_easy, question_en, answer_en, … and the console's labels
    **{key: (key, FLAT_LABELS[key]) for key in FLAT_FIELDS},
}
REQUIRED = ("question", "answer")
# status cells: our export's words, and the console's own labels
STATUS_WORDS = {"published": "published", "公開": "published", "公開中": "published",
                "draft": "draft", "下書き": "draft", "非公開": "draft"}
_IGNORED_CHARS = re.compile(r"[\s\-_.・:：()\[\]【】「」『』〈〉<>#＃*＊]")


def header_key(text: str) -> str:
    return _IGNORED_CHARS.sub("", unicodedata.normalize("NFKC", text).casefold())


_FIELD_OF = {header_key(alias): field for field, aliases in ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written in the file
    field: str | None  # what it is read as; None: ignored
    duplicate: bool = False  # ignored because an earlier column is read as the same field


def read_header(cells: list[str]) -> list[Column]:
    """Every non-empty header cell, in order. When two columns mean the same field the
    first one is read and the later one ignored (and said so)."""
    columns, taken = [], set()
    for i, cell in enumerate(cells):
        header = " ".join(cell.split())
        if not header:
            continue
        field = _FIELD_OF.get(header_key(header))
        duplicate = field in taken
        columns.append(Column(i, header, None if duplicate else field, duplicate))
        if field:
            taken.add(field)
    return columns


def missing(columns: list[Column]) -> list[str]:
    """The required fields no column is read as."""
    found = {c.field for c in columns}
    return [f for f in REQUIRED if f not in found]


def row_fields(columns: list[Column], values: list[str]) -> dict[str, str]:
    """One data row as {field: cell}; cells beyond the row's end are empty."""
    return {c.field: values[c.index] if c.index < len(values) else "" for c in columns if c.field}


def status_of(cell: str, default: str) -> str | None:
    """The status a cell names (empty: `default`), or None when it names none."""
    word = header_key(cell)
    return default if not word else STATUS_WORDS.get(word)
