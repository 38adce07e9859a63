"""Selects the groups of Sudachi's synonym dictionary that name things, for ごみ分別 item matching.

    PYTHONPATH=. .venv/bin/python -m bench.sudachi_gomi SOURCE [--out FILE]

SOURCE: Sudachi's synonyms.txt (the commit named in api/gomi/synonyms/README.md, e.g.
../shared/resources/sudachi-synonyms/synonyms.txt). Writes api/gomi/synonyms/sudachi.txt, which
the ごみ分別 matcher (api/gomi/matcher.py) reads: a resident's word (デジカメ, おしめ) finds the
item the city's list names otherwise (デジタルカメラ, 紙おむつ).

The rule is the dictionary's own, not any city's list (a list we did not see must gain as much):
nouns (体言/用言フラグ 1), words that may trigger an expansion (展開制御フラグ 0 or empty), of the
fields where things are named (none given, 料理, ファッション, 美容, スポーツ, 音楽, IT, 建築, 交通,
化学, 動植物, 娯楽, 商品) — not people, places, companies, organisations, law, time or units, which
no ごみ list holds — and, as for the FAQ search's selection (bench/sudachi_synonyms.py), no words of
one character, no pure ASCII words, no kana-only words under three characters.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bench.sudachi_synonyms import SOURCE_COMMIT, read_groups

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "api" / "gomi" / "synonyms" / "sudachi.txt"
FIELDS = {"", "料理", "ファッション", "美容", "スポーツ", "音楽", "IT", "建築", "交通", "化学", "動植物", "娯楽", "商品"}
HEADER = (
    "# Sudachi 同義語辞書から選んだ、ものの名前のグループ（自動生成: PYTHONPATH=. .venv/bin/python -m bench.sudachi_gomi）\n"
    f"# 出典: SudachiDict src/main/text/synonyms.txt (WorksApplications/SudachiDict, commit {SOURCE_COMMIT}),\n"
    "# Apache License 2.0。ライセンス・出典・変更点は api/gomi/synonyms/README.md にあります。\n"
)


def thing_groups(path: Path) -> list[list[str]]:
    """[words] of each group of nouns naming things, in the file's order."""
    def noun_of_things(row: list[str]) -> bool:
        return row[1].strip() in ("", "1") and set(row[7].strip().strip("()").split("/")) <= FIELDS \
            and "," not in row[8]
    return read_groups(path, noun_of_things)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    groups = thing_groups(args.source)
    args.out.write_text(HEADER + "".join(",".join(g) + "\n" for g in groups), encoding="utf-8")
    print(f"{len(groups)} groups, {sum(map(len, groups))} words → {args.out}")


if __name__ == "__main__":
    main()
