"""Japanese text analysis for FAQ search: content-word lemmas and kana-reading bigrams.

Lemmas make 「取れますか」 match 「取る」; kana readings make hiragana-only questions
(「じゅうみんひょう」) and kanji typos with the right reading (「住民表」) match.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

import fugashi

# Particles, auxiliaries and symbols carry grammar, not topic: they only add noise.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "記号", "空白", "接続詞", "感動詞"}
# Very common verbs/nouns that appear in nearly every question.
_STOP_LEMMAS = {
    "為る", "居る", "有る", "成る", "出来る", "事", "物", "様", "為", "此れ", "其れ", "彼れ",
    "何", "良い", "思う", "教える", "知る", "下さる", "頂く", "御", "御願い", "分かる", "言う",
    "ござる", "御座る", "いただく", "ください", "する", "いる", "ある", "なる", "できる",
}
_HIRA_TO_KATA = {c: c + 0x60 for c in range(ord("ぁ"), ord("ゖ") + 1)}
_KANA_ONLY = re.compile(r"^[\u30a0-\u30ff]+$")


def to_katakana(text: str) -> str:
    return text.translate(_HIRA_TO_KATA)


class Synonyms:
    """Maps every word of a synonym group to the group's first (canonical) word, on raw text.

    Replacement happens on text rather than tokens so multi-token words
    (「個人番号カード」) are caught; the longest word wins at each position.
    """

    def __init__(self, groups: list[list[str]]):
        self.canonical: dict[str, str] = {}
        for group in groups:
            words = [unicodedata.normalize("NFKC", w).strip() for w in group]
            words = [w for w in words if w]
            # The canonical word maps to itself so that, as the longest match, it is
            # never rewritten by a shorter member found inside it (マイナ in マイナンバーカード).
            for w in words:
                self.canonical.setdefault(w, words[0])
        alts = sorted(self.canonical, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alts))) if alts else None

    @classmethod
    def load(cls, folder: Path) -> "Synonyms":
        groups: list[list[str]] = []
        for path in sorted(folder.glob("*.txt")) if folder.exists() else []:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    groups.append([w for w in re.split(r"[,、，]", line) if w.strip()])
        return cls(groups)

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.canonical[m.group(0)], text)


class Analyzer:
    def __init__(self, synonyms: Synonyms | None = None):
        self.synonyms = synonyms or Synonyms([])
        # MeCab taggers are not safe to share between threads: one per thread.
        self._local = threading.local()

    def _tagger(self) -> fugashi.Tagger:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = self._local.tagger = fugashi.Tagger()
        return tagger

    def _tokens(self, text: str):
        text = self.synonyms.apply(unicodedata.normalize("NFKC", text))
        for word in self._tagger()(text):
            feat = word.feature
            pos = feat.pos1
            if pos in _SKIP_POS or not word.surface.strip():
                continue
            lemma = (feat.lemma or word.surface).split("-", 1)[0]
            if lemma in _STOP_LEMMAS or word.surface in _STOP_LEMMAS:
                continue
            kana = feat.kana or to_katakana(word.surface)
            yield lemma, kana

    def terms(self, text: str) -> list[str]:
        """Content-word lemmas, lower-cased (ASCII)."""
        return [lemma.lower() for lemma, _ in self._tokens(text)]

    def reading_grams(self, text: str) -> list[str]:
        """Katakana bigrams of the content words' readings, joined."""
        reading = "".join(k for _, k in self._tokens(text) if _KANA_ONLY.match(k))
        if len(reading) < 2:
            return [reading] if reading else []
        return [reading[i : i + 2] for i in range(len(reading) - 1)]
