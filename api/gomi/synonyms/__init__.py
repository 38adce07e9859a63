"""Groups of words naming one thing, for the ごみ分別 matcher: Sudachi's (sudachi.txt, see README.md)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def thing_groups() -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in (HERE / "sudachi.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            groups.append(tuple(w for w in line.split(",") if w))
    return tuple(groups)
