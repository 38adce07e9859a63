"""Reading the faq_corpus/ YAML files (the city's reviewable seed) into validated entries."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from api.faq.schemas import FaqCreate


class CorpusError(ValueError):
    pass


def load_corpus(folder: Path) -> list[FaqCreate]:
    entries: list[FaqCreate] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        category = data.get("category")
        for i, raw in enumerate(data.get("entries") or []):
            try:
                entry = FaqCreate(category=category, **raw)
            except (ValidationError, TypeError) as exc:
                raise CorpusError(f"{path.name}: entry {i + 1}: {exc}") from exc
            if entry.id in seen:
                raise CorpusError(f"{path.name}: id {entry.id} already used in {seen[entry.id].name}")
            seen[entry.id] = path
            entries.append(entry)
    return entries


def entry_hash(entry: FaqCreate) -> str:
    return hashlib.sha256(json.dumps(entry.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
