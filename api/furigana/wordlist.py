"""Readings that UniDic gets wrong, or cannot know (a city's place names), written by people.

A file is UTF-8 text, one word a line: the word as written, a tab (or spaces), its reading in
hiragana; `#` starts a comment. madoguchi's own list is readings.tsv next to this file; a city adds
its own in `readings/*.tsv` of its corpus folder (like synonyms/). A later file overrides an
earlier one for the same word. A bad line stops the start with its file and line number, as a bad
FAQ entry does.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

GENERAL = Path(__file__).with_name("readings.tsv")

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆ヶ]")
_HIRAGANA = re.compile(r"^[\u3041-\u3096ー]+$")


class WordListError(ValueError):
    pass


class WordList:
    def __init__(self, words: dict[str, str]):
        self.words = words
        # the longest word wins where several start at one place (北支所 over 支所)
        alts = sorted(words, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, alts))) if alts else None

    @classmethod
    def load(cls, *paths: Path | None) -> "WordList":
        """The words of each file, or of each *.tsv of a folder (missing ones add nothing)."""
        words: dict[str, str] = {}
        for path in paths:
            if path is None or not path.exists():
                continue
            for file in sorted(path.glob("*.tsv")) if path.is_dir() else [path]:
                words.update(read(file))
        return cls(words)


def read(path: Path) -> dict[str, str]:
    words = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        where = f"{path}:{number}"
        if len(parts) != 2:
            raise WordListError(f"{where}: a word and its reading, separated by a tab, are expected")
        word, reading = unicodedata.normalize("NFC", parts[0]), parts[1]
        if not _KANJI.search(word):
            raise WordListError(f"{where}: 「{word}」 has no kanji: it needs no reading")
        if not _HIRAGANA.match(reading):
            raise WordListError(f"{where}: the reading 「{reading}」 must be hiragana")
        words[word] = reading
    return words
