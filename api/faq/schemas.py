from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, UrlConstraints, field_validator

from api.faq.dates import parse_date
from api.faq.langs import EASY, TRANSLATION_LANGS
from api.textnorm import normalize, normalize_lines

Zone = Literal["answer", "suggest", "none"]
# an entry's id: lower-case ascii letters, digits and '-' (also checked in every path that takes one)
FAQ_ID_PATTERN = r"^[a-z0-9][a-z0-9\-]*$"


def _line_or_none(value):
    """Optional one-line fields: normalised; blank is missing (None), as an empty cell is."""
    if isinstance(value, str):
        return normalize(value) or None
    return value


def _date_or_none(value):
    """Optional dates: blank is missing; common written forms are read (api.faq.dates),
    anything else is left for pydantic to reject."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        if not value.strip():
            return None
        return parse_date(value) or value
    return value


def _translations(value):
    """{lang: {question?, answer}}: languages known (api.faq.langs), texts normalised as the
    Japanese ones are and as long at most; a language whose texts are all blank is dropped (an
    empty console field or cell); an answer is needed where a question is given; やさしい日本語
    has no question of its own (the Japanese question is easy to read with ふりがな)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("translations は {言語: {question, answer}} の形で指定してください")
    out = {}
    for lang, texts in value.items():
        if lang not in TRANSLATION_LANGS:
            raise ValueError(f"言語 {lang!r} は使えません（使える言語：{'、'.join(TRANSLATION_LANGS)}）")
        if isinstance(texts, str):  # just an answer
            texts = {"answer": texts}
        if not isinstance(texts, dict) or set(texts) - {"question", "answer"}:
            raise ValueError(f"{lang}: question と answer だけを指定してください")
        for key in ("question", "answer"):
            if texts.get(key) is not None and not isinstance(texts[key], str):
                raise ValueError(f"{lang}: {key} は文字列で指定してください")
        question = normalize(texts.get("question") or "")
        answer = normalize_lines(texts.get("answer") or "")
        if not question and not answer:
            continue
        if lang == EASY and question:
            raise ValueError(f"{lang}: やさしい日本語には質問を付けません（回答だけ）")
        if not answer:
            raise ValueError(f"{lang}: 質問を訳したときは回答も入力してください")
        if len(question) > 500:
            raise ValueError(f"{lang}: 質問は500文字以内にしてください")
        if len(answer) > 5000:
            raise ValueError(f"{lang}: 回答は5000文字以内にしてください")
        out[lang] = {"question": question, "answer": answer} if question else {"answer": answer}
    # a fixed order, so that the same content always serialises (and hashes) the same
    return {lang: out[lang] for lang in TRANSLATION_LANGS if lang in out}


Translations = Annotated[dict[str, dict[str, str]], BeforeValidator(_translations)]
OptionalLine = Annotated[str | None, BeforeValidator(_line_or_none)]
# digits, hyphens, brackets and spaces, optionally an extension: 012-345-6111（内線123）
PHONE = r"^[0-9\-‐() ]+(?:内線 ?[0-9]+\)?)?$"


class FaqFields(BaseModel):
    """An entry: question and answer are required; everything else may be missing (None),
    as it often is in a city's own FAQ export."""

    question: str = Field(min_length=1, max_length=500)
    answer: str = Field(min_length=1, max_length=5000)
    alternatives: list[str] = Field(default_factory=list, max_length=50)
    category: OptionalLine = Field(default=None, max_length=100)
    department: OptionalLine = Field(default=None, max_length=200)
    phone: OptionalLine = Field(default=None, max_length=40, pattern=PHONE)
    url: Annotated[Annotated[HttpUrl, UrlConstraints(max_length=500)] | None, BeforeValidator(_line_or_none)] = None
    verified: Annotated[dt.date | None, BeforeValidator(_date_or_none)] = None
    # staff-written answers (and for foreign languages questions) in other languages: api.faq.langs
    translations: Translations = Field(default_factory=dict)

    @field_validator("question")
    @classmethod
    def _one_line(cls, v: str) -> str:
        v = normalize(v)
        if not v:
            raise ValueError("空にはできません")
        return v

    @field_validator("answer")
    @classmethod
    def _answer(cls, v: str) -> str:
        v = normalize_lines(v)
        if not v:
            raise ValueError("空にはできません")
        return v

    @field_validator("alternatives")
    @classmethod
    def _alts(cls, v: list[str]) -> list[str]:
        out = [normalize(a) for a in v]
        return [a for a in out if a][:50]


class FaqCreate(FaqFields):
    id: str = Field(min_length=1, max_length=64, pattern=FAQ_ID_PATTERN)


class FaqUpdate(FaqFields):
    pass


class FaqOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    category: str | None
    question: str
    alternatives: list[str]
    answer: str
    department: str | None
    phone: str | None
    url: str | None
    verified: dt.date | None
    origin: str
    status: str = "published"
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)

    @field_validator("translations", mode="before")
    @classmethod
    def _none_is_empty(cls, v):  # rows written before the column: NULL
        return v or {}


class FaqLangOut(FaqOut):
    """An entry for a resident who reads `lang` (internal API, the bot): `answer` and `question`
    in the best language staff wrote (api.faq.langs.answer_in); the Japanese ones are kept."""

    answer_lang: str = "ja"
    question_lang: str = "ja"
    answer_ja: str
    question_ja: str


class SearchHit(BaseModel):
    """Missing fields are null (the key is always there)."""

    id: str
    score: float
    question: str
    category: str | None
    answer: str
    department: str | None
    phone: str | None
    url: str | None
    # the language of `answer` / `question`: the asked lang when staff wrote it, else "ja-easy"
    # when an easy answer exists (any lang but ja), else "ja" (api.faq.langs.answer_in)
    answer_lang: str = "ja"
    question_lang: str = "ja"


class SearchOut(BaseModel):
    query: str
    confidence: float  # probability that the first hit is the right entry
    in_scope: float  # probability that the FAQ can answer the question at all
    zone: Zone
    hits: list[SearchHit]
    # the query's language as the search took it: "ja", or a foreign one (api.faq.langdetect),
    # whose zones come from the cross-lingual calibration
    query_lang: str = "ja"


class FeedbackIn(BaseModel):
    sender: str = Field(min_length=1, max_length=200)
    faq_id: str = Field(min_length=1, max_length=64, pattern=FAQ_ID_PATTERN)
    helpful: bool
