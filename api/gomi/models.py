"""The city's garbage-sorting lists: one dataset per imported file, its items."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class GomiDataset(Base):
    __tablename__ = "gomi_datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # the file's name (a folder of files is one dataset a file); a new import of the same name replaces it
    name: Mapped[str] = mapped_column(String(200), unique=True)
    layout: Mapped[str] = mapped_column(String(40))  # "standard", "yokohama", "mapped"
    # 出典: shown under every answer that uses this dataset's items
    attribution: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    license: Mapped[str | None] = mapped_column(String(100), nullable=True)
    city_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    # field → header as written in the file: an export in the file's own layout writes these
    columns: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GomiItem(Base):
    __tablename__ = "gomi_items"
    __table_args__ = (UniqueConstraint("dataset_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("gomi_datasets.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(64))  # the ID column of the file (else its line number)
    name: Mapped[str] = mapped_column(String(300))  # 品目 as published
    category: Mapped[str] = mapped_column(String(200))  # 分別区分 / 出し方
    notes: Mapped[str] = mapped_column(Text, default="")  # 注意点 as plain text (HTML removed)
    urls: Mapped[list] = mapped_column(JSON, default=list)  # links found in the notes (http/https only)
    fee_kind: Mapped[str] = mapped_column(String(100), default="")
    fee: Mapped[str] = mapped_column(String(100), default="")
    fee_note: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    small_appliance: Mapped[bool] = mapped_column(default=False)  # e.g. Yokohama's 小型家電回収対象 ◎
    line: Mapped[int] = mapped_column(Integer, default=0)  # line in the file where the row starts
    initial: Mapped[str] = mapped_column(String(20), default="", server_default="")  # e.g. Yokohama's 頭文字, kept for the export
    # other names residents use (readings, everyday words), matched like the name; the file's
    # 別名 column, or added by staff (kept when the city's file is imported again)
    aliases: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    origin: Mapped[str] = mapped_column(String(10), default="file", server_default="file")  # file | staff (added in the console)
