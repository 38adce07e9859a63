"""The city's garbage-sorting list in the database and in memory.

At start every CSV file of `MADOGUCHI_GOMI` (a file, or a folder of files) is imported into
`gomi_datasets` / `gomi_items` when its bytes changed since the last import (a dataset a
file, replaced whole), and the matcher is built from the database. A file's attribution
(出典) comes from a sidecar next to it — `<name>.json` with `attribution`, `source_url`,
`license`, or `<name>.attribution.txt` — else from `MADOGUCHI_GOMI_ATTRIBUTION`, else a line
naming the file.
"""
from __future__ import annotations

from collections.abc import Callable

import json
import logging
import threading
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from api.faq.dense import Embedder, EmbeddingCache
from api.gomi.guidance import not_collected, where_it_goes
from api.gomi.importer import GomiImportError, ImportedList, read_list
from api.gomi.matcher import Item, Matcher, fee_key
from api.gomi.meaning import Meanings
from api.gomi.models import GomiDataset, GomiItem
from api.gomi.topic import FaqReading, settle

log = logging.getLogger(__name__)


def files_of(path: Path | None) -> list[Path]:
    if path is None:
        return []
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    return [path] if path.exists() else []


def sidecar(path: Path, fallback: str = "") -> dict[str, str | None]:
    meta: dict[str, str | None] = {"attribution": None, "source_url": None, "license": None}
    js = path.with_suffix(".json")
    txt = path.with_name(path.stem + ".attribution.txt")
    if js.exists():
        data = json.loads(js.read_text(encoding="utf-8"))
        meta.update({k: (str(data[k]).strip() or None) if data.get(k) else None for k in meta})
    elif txt.exists():
        meta["attribution"] = txt.read_text(encoding="utf-8").strip() or None
    if not meta["attribution"]:
        meta["attribution"] = fallback or f"出典：{path.name}"
    return meta


class GomiService:
    def __init__(self, session_factory: sessionmaker, embedder: Embedder | None = None,
                 cache: EmbeddingCache | None = None):
        self.sessions = session_factory
        self._lock = threading.Lock()
        self.matcher = Matcher([])
        # the FAQ search's embedding model and cache: the rows by their names' meaning (api/gomi/meaning.py)
        self._embedder, self._cache = embedder, cache or EmbeddingCache(None)
        self.meanings: Meanings | None = None
        self.rows: dict[str, dict] = {}
        # told after every change this process made (scaled mode: api.bus tells the other api
        # processes, which reload)
        self.changed: Callable[[str], None] = lambda key: None

    @classmethod
    def create(cls, session_factory: sessionmaker, path: Path | None, attribution: str = "",
               embedder: Embedder | None = None, cache: EmbeddingCache | None = None) -> "GomiService":
        service = cls(session_factory, embedder, cache)
        for file in files_of(path):
            try:
                service.import_bytes(file.name, file.read_bytes(), **sidecar(file, attribution))
            except GomiImportError as exc:
                log.error("gomi: %s not imported: %s", file, exc)
        service.reload()
        return service

    def import_bytes(self, name: str, raw: bytes, attribution: str, source_url: str | None = None,
                     license: str | None = None, columns: dict[str, str] | None = None,
                     imported: ImportedList | None = None) -> dict:
        """Checks every row first (GomiImportError by line), then replaces the dataset `name`.

        What staff added in the console stays: items they added (unless the file now has an
        item of the same ID) and the other names they gave an item (by its ID)."""
        imported = imported or read_list(raw, columns)
        with self.sessions() as session:
            ds = session.scalar(select(GomiDataset).where(GomiDataset.name == name))
            if ds and ds.content_hash == imported.content_hash and ds.attribution == attribution:
                return {"dataset": name, "items": ds.item_count, "changed": False}
            if ds is None:
                ds = GomiDataset(name=name, layout=imported.layout, attribution=attribution, content_hash="")
                session.add(ds)
                session.flush()
            old = {i.item_id: i for i in session.scalars(select(GomiItem).where(GomiItem.dataset_id == ds.id))}
            ids = {i.item_id for i in imported.items}
            kept = [i for i in old.values() if i.origin == "staff" and i.item_id not in ids]
            session.execute(delete(GomiItem).where(GomiItem.dataset_id == ds.id,
                                                   GomiItem.id.not_in([i.id for i in kept] or [-1])))
            ds.layout, ds.attribution, ds.source_url, ds.license = imported.layout, attribution, source_url, license
            ds.city_code, ds.content_hash = imported.city_code, imported.content_hash
            ds.columns, ds.item_count = dict(imported.columns), len(imported.items) + len(kept)

            def aliases(i) -> list[str]:
                before = old[i.item_id].aliases if i.item_id in old else []
                return list(dict.fromkeys([*i.aliases, *(before or [])]))

            session.add_all(GomiItem(dataset_id=ds.id, item_id=i.item_id, name=i.name, category=i.category,
                                     notes=i.notes, urls=i.urls, fee_kind=i.fee_kind, fee=i.fee, fee_note=i.fee_note,
                                     remarks=i.remarks, small_appliance=i.small_appliance, line=i.line,
                                     initial=i.initial, aliases=aliases(i))
                            for i in imported.items)
            session.commit()
        log.info("gomi: %s imported (%s layout, %d items)", name, imported.layout, len(imported.items))
        return {"dataset": name, "items": len(imported.items), "kept": len(kept), "changed": True}

    def reload(self) -> None:
        """The matcher and the answers rebuilt from the database."""
        with self.sessions() as session:
            sets = {d.id: d for d in session.scalars(select(GomiDataset))}
            items = list(session.scalars(select(GomiItem).order_by(GomiItem.dataset_id, GomiItem.id)))
        rows = {}
        for i in items:
            ds = sets[i.dataset_id]
            uid = f"{i.dataset_id}.{i.item_id}"
            rows[uid] = {"id": uid, "item_id": i.item_id, "name": i.name, "category": i.category, "notes": i.notes,
                         "urls": list(i.urls or []), "fee_kind": i.fee_kind, "fee": i.fee, "fee_note": i.fee_note,
                         "remarks": i.remarks, "small_appliance": i.small_appliance,
                         "aliases": list(i.aliases or []),
                         "not_collected": not_collected(i.category),
                         "where": where_it_goes(i.name, i.category, i.notes, list(i.urls or [])),
                         "attribution": ds.attribution, "source_url": ds.source_url, "license": ds.license}
        listed = [Item(uid, r["name"], r["category"], tuple(r["aliases"]), fee_key(r["fee_kind"], r["fee"]))
                  for uid, r in rows.items()]
        matcher = Matcher(listed)
        meanings = Meanings(self._embedder, self._cache, listed) if self._embedder is not None else None
        with self._lock:
            self.rows, self.matcher, self.meanings = rows, matcher, meanings

    def reload_and_tell(self) -> None:
        """After a change made here: rebuilt, and the other api processes told."""
        self.reload()
        self.changed("*")

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, uid: str) -> dict | None:
        return self.rows.get(uid)

    def match(self, question: str, faq: FaqReading | None = None) -> dict:
        """faq: the city's FAQ search, which decides whether a thing named without asking is what
        the message is about (api/gomi/topic.py)."""
        with self._lock:
            matcher, rows, meanings = self.matcher, self.rows, self.meanings
        if not rows:
            return {"item_question": False, "after_faq": False, "rule": False, "missing": "", "unlisted": "",
                    "found": [], "maybe": []}
        # (the rows a message means with the FAQ's reading only: the inbox's count of a missing name needs neither)
        meant = meanings.nearest if meanings is not None and faq is not None else None
        m = settle(matcher.match(question), question, faq, meant)

        def out(found) -> list[dict]:
            return [{"kind": f.kind, "text": f.text, "score": f.score, "broader": f.broader,
                     "items": [rows[u] for u in f.items]} for f in found]

        return {"item_question": m.item_question, "after_faq": m.after_faq, "rule": m.rule, "missing": m.missing,
                "unlisted": m.unlisted, "found": out(m.found), "maybe": out(m.maybe)}

    # -- staff edits (the console) --------------------------------------------------------
    # Each write commits (with the caller's audit row, `on_write(session)`) and rebuilds the
    # matcher, so residents get the change with their next question.
    def datasets(self) -> list[GomiDataset]:
        with self.sessions() as session:
            return list(session.scalars(select(GomiDataset).order_by(GomiDataset.name)))

    def dataset(self, dataset_id: int) -> GomiDataset | None:
        with self.sessions() as session:
            return session.get(GomiDataset, dataset_id)

    def save_item(self, dataset_id: int, item_id: str | None, fields: dict, on_write=None) -> str:
        """Edits the item `item_id` of the dataset, or adds one (item_id None: the next staff ID).
        Returns its uid. KeyError when the dataset or the item is gone."""
        with self.sessions() as session:
            ds = session.get(GomiDataset, dataset_id)
            if ds is None:
                raise KeyError(dataset_id)
            if item_id is None:
                taken = set(session.scalars(select(GomiItem.item_id).where(GomiItem.dataset_id == dataset_id)))
                n = 1
                while f"staff-{n}" in taken:
                    n += 1
                row = GomiItem(dataset_id=dataset_id, item_id=f"staff-{n}", origin="staff", line=0)
                session.add(row)
                ds.item_count += 1
            else:
                row = session.scalar(select(GomiItem).where(GomiItem.dataset_id == dataset_id,
                                                            GomiItem.item_id == item_id))
                if row is None:
                    raise KeyError(item_id)
            for key, value in fields.items():
                setattr(row, key, value)
            session.flush()
            uid = f"{dataset_id}.{row.item_id}"
            if on_write:
                on_write(session, uid)
            session.commit()
        self.reload_and_tell()
        return uid

    def add_alias(self, uid: str, alias: str, on_write=None) -> bool:
        """Adds another name to an item; False when it had it already. KeyError: no such item."""
        item = self.get(uid)
        if item is None:
            raise KeyError(uid)
        if alias in item["aliases"] or alias == item["name"]:
            return False
        dataset_id, item_id = uid.split(".", 1)
        self.save_item(int(dataset_id), item_id, {"aliases": [*item["aliases"], alias]}, on_write)
        return True

    def set_attribution(self, dataset_id: int, attribution: str, source_url: str | None, license: str | None,
                        on_write=None) -> None:
        with self.sessions() as session:
            ds = session.get(GomiDataset, dataset_id)
            if ds is None:
                raise KeyError(dataset_id)
            ds.attribution, ds.source_url, ds.license = attribution, source_url, license
            if on_write:
                on_write(session)
            session.commit()
        self.reload_and_tell()

    def items_of(self, dataset_id: int) -> list[GomiItem]:
        with self.sessions() as session:
            return list(session.scalars(select(GomiItem).where(GomiItem.dataset_id == dataset_id)
                                        .order_by(GomiItem.line == 0, GomiItem.line, GomiItem.id)))
