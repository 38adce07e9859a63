"""The questions the console's regression check asks before an edit is published: the
city's own, so that a check tells what would change for its residents.

- what residents asked: the masked question texts of the conversation log
  (`conversation_events`, kind "question"), most often asked first, then most recently,
  at most RESIDENT_LIMIT distinct texts;
- every published entry's alternative phrasings, each expecting its own entry;
- optionally a JSONL file (`MADOGUCHI_CHECK_QUERIES`, {"_id", "text"} a line) the city keeps.

A text is asked once, under the first of these sources that has it.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import desc, func, select
from sqlalchemy.orm import Session

from api.analytics.models import ConversationEvent

log = logging.getLogger(__name__)
RESIDENT_LIMIT = 500


@dataclass(frozen=True)
class CheckQuery:
    text: str
    source: str  # "resident" | "phrasing" | "file"
    expected: str | None = None  # a phrasing's own entry
    asked: int = 0  # how often residents asked it


def resident_questions(session: Session, limit: int = RESIDENT_LIMIT) -> list[CheckQuery]:
    n = func.count().label("n")
    stmt = (select(ConversationEvent.text, n)
            .where(ConversationEvent.kind == "question", ConversationEvent.text != "")
            .group_by(ConversationEvent.text)
            .order_by(desc(n), desc(func.max(ConversationEvent.at)), ConversationEvent.text)
            .limit(limit))
    return [CheckQuery(text, "resident", asked=count) for text, count in session.execute(stmt)]


def phrasings(entries: Iterable) -> list[CheckQuery]:
    """entries: the published FaqOut entries."""
    return [CheckQuery(alt, "phrasing", expected=e.id)
            for e in sorted(entries, key=lambda e: e.id) for alt in e.alternatives]


def from_file(path: Path) -> list[CheckQuery]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
        except (ValueError, KeyError, TypeError):
            log.warning("%s:%d: not a {\"_id\", \"text\"} line; skipped", path, number)
            continue
        if isinstance(text, str) and text.strip():
            out.append(CheckQuery(text.strip(), "file"))
    return out


def check_set(session: Session, entries: Iterable, extra: Path | None = None,
              limit: int = RESIDENT_LIMIT) -> list[CheckQuery]:
    sources = [resident_questions(session, limit), phrasings(entries)]
    if extra is not None and extra.is_file():
        sources.append(from_file(extra))
    seen: set[str] = set()
    out = []
    for query in (q for source in sources for q in source):
        if query.text not in seen:
            seen.add(query.text)
            out.append(query)
    return out
