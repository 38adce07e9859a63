from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class LookupIn(BaseModel):
    sender: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=40)
    birth_date: dt.date
    # the resident's client (a keyed hash of the address, from the chat's metadata), when known
    client: str | None = Field(default=None, max_length=100)


class EventOut(BaseModel):
    on: dt.date
    status: str
    status_label: str
    note: str


class ApplicationOut(BaseModel):
    number: str
    procedure: str
    status: str
    status_label: str
    next_step: str
    department: str
    phone: str
    history: list[EventOut]


class LookupOut(BaseModel):
    result: Literal["found", "not_found", "locked"]
    application: ApplicationOut | None = None
    retry_after: int | None = None  # "locked": seconds until the next try is allowed


class SubscribeIn(BaseModel):
    sender: str = Field(min_length=1, max_length=200)
    channel: Literal["web", "line"]
