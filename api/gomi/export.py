"""A dataset as a CSV again: in the layout its file was imported in (its own headers), or in
the デジタル庁 standard layout. Either reads back with api.gomi.importer to the same items.

Links the importer took out of the notes' HTML are written as plain addresses on a line of
their own (in 備考 when the layout has it, else in the notes): the export never writes
markup, and a re-import finds the links again. Other names go in a 別名 column (one cell,
split by 「|」), which the importer reads.
"""
from __future__ import annotations

from api.gomi.importer import STANDARD, SMALL_APPLIANCE_YES
from api.gomi.models import GomiDataset, GomiItem

ALIAS_HEADER = "別名"
LAYOUTS = {"file": "取り込んだときの列", "standard": "自治体標準オープンデータセットの列"}


def _with_links(text: str, urls: list[str]) -> str:
    missing = [u for u in urls or [] if u not in (text or "")]
    return "\n".join([text] + missing if text else missing)


def table(ds: GomiDataset, items: list[GomiItem], layout: str = "file") -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of the dataset in `layout` ("file" or "standard")."""
    columns = dict(ds.columns or {}) if layout == "file" and ds.columns else dict(STANDARD)
    columns.pop("aliases", None)
    if any(i.aliases for i in items):
        columns["aliases"] = ALIAS_HEADER
    links_in = "remarks" if "remarks" in columns else "notes"
    if links_in not in columns:
        columns["notes"] = "注意点"

    def value(item: GomiItem, field: str) -> str:
        if field == "city_code":
            return ds.city_code or ""
        if field == "small_appliance":
            return SMALL_APPLIANCE_YES[0] if item.small_appliance else ""
        if field == "aliases":
            return "|".join(item.aliases or [])
        text = str(getattr(item, field) or "")
        return _with_links(text, item.urls) if field == links_in else text

    return list(columns.values()), [[value(i, f) for f in columns] for i in items]
