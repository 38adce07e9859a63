from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, UrlConstraints, field_validator

from api.faq.dates import parse_date
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


class SearchOut(BaseModel):
    query: str
    confidence: float  # probability that the first hit is the right entry
    in_scope: float  # probability that the FAQ can answer the question at all
    zone: Zone
    hits: list[SearchHit]


class FeedbackIn(BaseModel):
    sender: str = Field(min_length=1, max_length=200)
    faq_id: str = Field(min_length=1, max_length=64, pattern=FAQ_ID_PATTERN)
    helpful: bool
