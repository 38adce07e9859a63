from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from api.textnorm import normalize, normalize_lines


class Line(BaseModel):
    who: Literal["resident", "bot"]
    text: str = Field(max_length=5000)


class TicketIn(BaseModel):
    sender: str = Field(min_length=1, max_length=200)
    channel: Literal["web", "line"]
    question: str = Field(min_length=1, max_length=2000)
    transcript: list[Line] = Field(default_factory=list, max_length=30)
    # (sent again with the same key, the request gets the ticket the first one made)
    key: str | None = Field(default=None, pattern=r"^[0-9a-f]{16,64}$")

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        v = normalize(v)
        if not v:
            raise ValueError("空にはできません")
        return v


class TicketCreated(BaseModel):
    number: str
    expect: str
    urgent: str


class TicketStatus(BaseModel):
    number: str
    status: Literal["open", "answered", "closed"]
    status_label: str
    created_at: dt.datetime
    answer: str | None = None


class TicketOut(TicketStatus):
    resident: str = Field(description="opaque id of the resident (the same for all their tickets); never the sender id")
    channel: str
    question: str
    transcript: list[Line]
    answered_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None


class AnswerIn(BaseModel):
    answer: str = Field(min_length=1, max_length=5000)

    @field_validator("answer")
    @classmethod
    def _answer(cls, v: str) -> str:
        v = normalize_lines(v)
        if not v:
            raise ValueError("空にはできません")
        return v
