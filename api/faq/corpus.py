"""Reading FAQ YAML files (faq_corpus/, or a city's own with MADOGUCHI_CORPUS) into
validated entries.

Each `*.yml` / `*.yaml` file is one document: an optional `category` and `entries`, or
just a list of entries (faq_corpus/README.md). An entry needs only `question` and
`answer`; its own `category` overrides the file's; one without `id` gets an id made
from a hash of its question (api.faq.ids: stable whatever the files' names and order).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from api.faq.ids import assign_ids
from api.faq.schemas import FaqCreate


class CorpusError(ValueError):
    pass


def document_entries(doc) -> list | None:
    """The raw entries of one YAML document, each with its category (its own, else the
    document's); None when the document has neither shape. Entries that are not
    mappings are passed through for the caller to report."""
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        return None
    category = doc.get("category")
    return [{**raw, "category": category} if isinstance(raw, dict) and raw.get("category") in (None, "")
            else raw for raw in doc["entries"]]


def load_corpus(folder: Path) -> list[FaqCreate]:
    found: list[tuple[Path, int, dict]] = []
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{path.name}: not readable as UTF-8 YAML: {exc}") from exc
        if data is None:
            continue
        raws = document_entries(data)
        if raws is None:
            raise CorpusError(f"{path.name}: expected `entries:` with a list of entries, or a list of entries")
        for i, raw in enumerate(raws, 1):
            if not isinstance(raw, dict):
                raise CorpusError(f"{path.name}: entry {i}: not a mapping of fields")
            found.append((path, i, raw))
    ids = assign_ids([(raw.get("id"), str(raw.get("question") or "")) for _, _, raw in found])
    entries: list[FaqCreate] = []
    seen: dict[str, Path] = {}
    for (path, i, raw), faq_id in zip(found, ids):
        try:
            entry = FaqCreate(**{**raw, "id": faq_id})
        except (ValidationError, TypeError) as exc:
            raise CorpusError(f"{path.name}: entry {i}: {exc}") from exc
        if entry.id in seen:
            raise CorpusError(f"{path.name}: id {entry.id} already used in {seen[entry.id].name}")
        seen[entry.id] = path
        entries.append(entry)
    return entries


def entry_hash(entry: FaqCreate) -> str:
    fields = entry.model_dump(mode="json")
    if not fields["translations"]:  # entries without translations hash as before the field existed
        del fields["translations"]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
