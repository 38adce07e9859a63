"""Ids for entries that come without one (a city's FAQ export rarely has ours).

A generated id is `faq-` and the first 10 hex digits of the SHA-256 of the normalised
question: the same question gets the same id in every import, whatever the file's order
or name, so importing the file again updates the entries instead of adding copies, and
staff edits stay with their question. Editing a question in the file therefore makes a
new entry. A question that is asked twice in one import gets `-2`, `-3`, … in reading order.
"""
from __future__ import annotations

import hashlib
import unicodedata

from api.textnorm import normalize

PREFIX = "faq-"


def question_id(question: str) -> str:
    return PREFIX + hashlib.sha256(normalize(question).encode()).hexdigest()[:10]


def clean_id(value) -> str:
    """An id as a spreadsheet or YAML gives it (a number, capitals, full-width): as we write ids."""
    return unicodedata.normalize("NFKC", str(value)).strip().lower() if value is not None else ""


def assign_ids(rows: list[tuple[object, str]]) -> list[str]:
    """rows: (id as given or None/"", question). Given ids are kept (cleaned; duplicates are
    the caller's to report); the others are generated, never equal to any id of the rows."""
    given = [clean_id(faq_id) for faq_id, _ in rows]
    used = {i for i in given if i}
    out = []
    for faq_id, (_, question) in zip(given, rows):
        if not faq_id:
            base = faq_id = question_id(question or "")
            n = 1
            while faq_id in used:
                n += 1
                faq_id = f"{base}-{n}"
            used.add(faq_id)
        out.append(faq_id)
    return out
