from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from api.textnorm import normalize, normalize_lines

Zone = Literal["answer", "suggest", "none"]


class FaqFields(BaseModel):
    category: str = Field(min_length=1, max_length=100)
    question: str = Field(min_length=1, max_length=500)
    alternatives: list[str] = Field(default_factory=list, max_length=50)
    answer: str = Field(min_length=1, max_length=5000)
    department: str = Field(min_length=1, max_length=200)
    phone: str = Field(min_length=1, max_length=40, pattern=r"^[0-9０-９\-‐－() ]+$")
    url: HttpUrl
    verified: dt.date

    @field_validator("category", "question", "department", "phone")
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
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9\-]*$")


class FaqUpdate(FaqFields):
    pass


class FaqOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    category: str
    question: str
    alternatives: list[str]
    answer: str
    department: str
    phone: str
    url: str
    verified: dt.date
    origin: str
    status: str = "published"


class SearchHit(BaseModel):
    id: str
    score: float
    question: str
    category: str
    answer: str
    department: str
    phone: str
    url: str


class SearchOut(BaseModel):
    query: str
    confidence: float  # probability that the first hit is the right entry
    in_scope: float  # probability that the FAQ can answer the question at all
    zone: Zone
    hits: list[SearchHit]


class FeedbackIn(BaseModel):
    sender: str = Field(min_length=1, max_length=200)
    faq_id: str = Field(min_length=1, max_length=64)
    helpful: bool
