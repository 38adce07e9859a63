"""Japanese text analysis for FAQ search: content-word lemmas and kana-reading bigrams.

Lemmas make 「取れますか」 match 「取る」; kana readings make hiragana-only questions
(「じゅうみんひょう」) and kanji typos with the right reading (「住民表」) match.
"""
from __future__ import annotations

import queue
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import fugashi

# Particles, auxiliaries and symbols carry grammar, not topic: they only add noise.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "記号", "空白", "接続詞", "感動詞"}
# Very common verbs/nouns that appear in nearly every question.
_STOP_LEMMAS = {
    "為る", "居る", "有る", "成る", "出来る", "事", "物", "様", "為", "此れ", "其れ", "彼れ",
    "何", "良い", "思う", "教える", "知る", "下さる", "頂く", "御", "御願い", "分かる", "言う",
    "ござる", "御座る", "いただく", "ください", "する", "いる", "ある", "なる", "できる",
}
# Set phrases of asking (apologies, hedges, 「教えてください」, 「のでしょうか」) say nothing
# about the topic; the dense side drops them so its token budget holds more content.
_ASKING_PHRASES = re.compile(
    r"(すみません|すいません|恐れ入りますが|お忙しいところ|あの[ー〜]*|えっと|ちょっと"
    r"|教えて(ください|下さい|もらえますか|もらえませんか|ほしいです|いただけますか|いただけませんか|くれる|くれ|ほしい)"
    r"|知りたいです|のでしょうか|でしょうか|のですが|んですけど|んですが|んだけど|なんですが|ですが|ですけど"
    r"|と思っています|と思うのですが|かと思いまして)[、。,]?")
_HIRA_TO_KATA = {c: c + 0x60 for c in range(ord("ぁ"), ord("ゖ") + 1)}
_KATA_TO_HIRA = {c + 0x60: c for c in range(ord("ぁ"), ord("ゖ") + 1)}
_KANA_ONLY = re.compile(r"^[\u30a0-\u30ff]+$")
_NOT_WORD = re.compile(r"[^\w]|_")


def to_katakana(text: str) -> str:
    return text.translate(_HIRA_TO_KATA)


def to_hiragana(text: str) -> str:
    return text.translate(_KATA_TO_HIRA)


# The vowel of each katakana mora, for the long-vowel mark.
_VOWEL_OF = {k: v for v, row in (
    ("ア", "アカサタナハマヤラワガザダバパァャヮヵ"), ("イ", "イキシチニヒミリギジヂビピィ"),
    ("ウ", "ウクスツヌフムユルグズヅブプゥュッヴ"), ("イ", "エケセテネヘメレゲゼデベペェヶ"),
    ("ウ", "オコソトノホモヨロヲゴゾドボポォョ")) for k in row}


def long_vowels(kata: str) -> str:
    """Katakana with each 「ー」 spelled as the vowel it lengthens, as kana spelling does
    (チューシャジョー → チュウシャジョウ, ケーサツ → ケイサツ): residents type either. One
    character for one, so offsets stay valid."""
    if "ー" not in kata:
        return kata
    out = list(kata)
    for i in range(1, len(out)):
        if out[i] == "ー":
            out[i] = _VOWEL_OF.get(out[i - 1], "ー")
    return "".join(out)


def without_asking_phrases(text: str) -> str:
    """The question without its set phrases of asking; unchanged if little would be left."""
    stripped = _ASKING_PHRASES.sub("", text)
    return stripped if len(stripped.strip()) >= 4 else text


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
    def load(cls, *folders: Path | None) -> "Synonyms":
        """The groups of every *.txt in the folders (missing folders add nothing)."""
        groups: list[list[str]] = []
        paths = [p for folder in folders if folder and folder.exists() for p in sorted(folder.glob("*.txt"))]
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    groups.append([w for w in re.split(r"[,、，]", line) if w.strip()])
        return cls(groups)

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.canonical[m.group(0)], text)


class Morpheme(NamedTuple):
    surface: str
    kana: str | None  # katakana reading in context (UniDic's kana), None when unknown
    pos1: str
    pos2: str


class Word(NamedTuple):
    surface: str
    white_space: str
    feature: Any  # fugashi's UnidicFeatures


class Taggers:
    """MeCab taggers lent out one parse at a time. A tagger is not safe to share between threads,
    and one made per thread is never given back: each fugashi.Tagger kept ≈ 7.6 MB after its
    thread ended, and the api's worker threads come and go with bursts (its memory grew by
    gigabytes over a 30-minute soak). Here a tagger is taken from the pool (a new one only when
    all are busy), used for one parse whose words are copied out, and put back."""

    def __init__(self):
        self._idle: queue.SimpleQueue[fugashi.Tagger] = queue.SimpleQueue()

    def __call__(self, text: str) -> list[Word]:
        try:
            tagger = self._idle.get_nowait()
        except queue.Empty:
            tagger = fugashi.Tagger()
        try:
            return [Word(w.surface, w.white_space, w.feature) for w in tagger(text)]
        finally:
            self._idle.put(tagger)


TAGGERS = Taggers()  # one pool for the process: the FAQ search, ふりがな and the ごみ分別 matcher


class Analyzer:
    def __init__(self, synonyms: Synonyms | None = None):
        self.synonyms = synonyms or Synonyms([])

    @staticmethod
    def _tagger() -> Taggers:
        return TAGGERS

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

    def word_bounds(self, text: str) -> tuple[set[int], set[int]]:
        """Offsets in the NFKC text where the tokenizer starts a word, and offsets inside
        inflecting words (verbs, adjectives, auxiliaries)."""
        starts, inside, at = set(), set(), 0
        for word in self._tagger()(unicodedata.normalize("NFKC", text)):
            at += len(word.white_space)
            starts.add(at)
            if word.feature.pos1 in _INFLECTING:
                inside.update(range(at + 1, at + len(word.surface)))
            at += len(word.surface)
        return starts, inside

    def words(self, text: str) -> list[tuple[str, str, str | None]]:
        """(white space before, surface, katakana reading or None where the token is not
        noun-like) of each token of the NFKC text: the pieces join back into the text."""
        out = []
        for word in self._tagger()(unicodedata.normalize("NFKC", text)):
            kana = word.feature.kana
            noun = word.feature.pos1 in _NOUNISH and kana and _KANA_ONLY.match(kana)
            out.append((word.white_space, word.surface, kana if noun else None))
        return out

    def in_kanji(self, text: str, keep=lambda word: False) -> str:
        """Hiragana content words written with the kanji of their dictionary form, inflection
        kept (かわったら → 変わったら, いえ → 家, とどける → 届ける), except where keep(word):
        the embedding model reads kanji far better than kana. Verbs that may serve as
        auxiliaries (しまう, おく, みる, もらう) stay in kana, as Japanese writes them."""
        out = []
        for word in self._tagger()(unicodedata.normalize("NFKC", text)):
            surface, feat = word.surface, word.feature
            lemma = (feat.lemma or "").split("-", 1)[0]
            if (len(surface) >= 2 and _HIRAGANA_WORD.match(surface) and not keep(surface) and feat.pos1 in _WRITTEN_IN_KANJI
                    and _KANJI.search(lemma) and lemma not in _STOP_LEMMAS and feat.kanaBase and feat.pos2 != "非自立可能"):
                reading = to_hiragana(feat.kanaBase)
                shared = 0  # the okurigana: the end the lemma and its reading share
                while shared < min(len(lemma), len(reading)) and lemma[-1 - shared] == reading[-1 - shared]:
                    shared += 1
                stem_kana, stem = reading[: len(reading) - shared], lemma[: len(lemma) - shared]
                if stem_kana and surface.startswith(stem_kana):
                    surface = stem + surface[len(stem_kana):]
            out.append(word.white_space + surface)
        return "".join(out)

    def morphemes(self, text: str) -> list[Morpheme]:
        """Each token of the text exactly as given (no NFKC, no synonyms): ふりがな must join back
        into the bot's own text (api.furigana)."""
        out = []
        for word in self._tagger()(text):
            feat = word.feature
            out.append(Morpheme(word.surface, feat.kana or None, feat.pos1 or "", feat.pos2 or ""))
        return out

    def nouns_with_reading(self, text: str) -> list[tuple[str, str] | None]:
        """(surface, katakana reading) of each token; None where a token is not noun-like."""
        return [(surface, kana) if kana else None for _, surface, kana in self.words(text)]

    def terms(self, text: str) -> list[str]:
        """Content-word lemmas, lower-cased (ASCII)."""
        return [lemma.lower() for lemma, _ in self._tokens(text)]

    def char_grams(self, text: str) -> list[str]:
        """Character bigrams of the text's letters (kanji, kana, Latin, digits), synonyms applied."""
        text = _NOT_WORD.sub("", self.synonyms.apply(unicodedata.normalize("NFKC", text)).lower())
        return [text[i : i + 2] for i in range(len(text) - 1)] if len(text) > 1 else ([text] if text else [])

    def reading_grams(self, text: str) -> list[str]:
        """Katakana bigrams of the content words' readings, joined."""
        reading = long_vowels("".join(k for _, k in self._tokens(text) if _KANA_ONLY.match(k)))
        if len(reading) < 2:
            return [reading] if reading else []
        return [reading[i : i + 2] for i in range(len(reading) - 1)]


_KANJI = re.compile(r"[\u3400-\u9fff々〆]")
_HIRAGANA_WORD = re.compile(r"^[\u3041-\u3096ー]+$")
_WRITTEN_IN_KANJI = {"名詞", "動詞", "形容詞", "形状詞"}
_KANA_RUN = re.compile(r"[\u3041-\u3096\u30a1-\u30fcー]{3,}")
_KATAKANA = re.compile(r"[\u30a1-\u30fa]")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fcー]+")
_HIRAGANA_OR_KANJI = re.compile(r"[\u3041-\u3096\u3400-\u9fff々〆]")
_NOUNISH = {"名詞", "接尾辞", "接頭辞"}
_INFLECTING = {"動詞", "形容詞", "助動詞"}


class KanaRestorer:
    """Writes kana spellings of the corpus's own kanji words back in kanji.

    Residents who type in hiragana (「りょういくてちょう」) defeat the tokenizer and the
    embedding model alike. The corpus tells which kanji words exist and how they are
    read (療育 リョウイク, 手帳 テチョウ, and compounds of adjacent ones; its katakana words
    too: まいなんばーかーど); a kana run in a question is rewritten by longest match against
    those readings. Only nouns of three or more kana are used, so particles and short
    words stay as they are. The same readings mend kanji typos inside the corpus's
    compounds (_homophones_fixed).

    Inflections and auxiliaries share readings with nouns (「作り直したい」 死体, 「してい(ます)」
    指定, 「いいでしょうか」 消火) and long natural questions are full of them, so a match is
    kept only if it starts where the tokenizer starts a word and does not end inside a verb
    or adjective (「とどける」 is not 届 + る; its end may merge with a particle:
    「しょうめいって」), and if the city's own
    texts (questions and answers, not the phrasings written to mimic residents) never write
    that kana themselves: a word residents spell in kana for want of the kanji is not.
    """

    MIN_KANA = 3
    MAX_COMPOUND = 3

    def __init__(self, analyzer: "Analyzer"):
        self.analyzer = analyzer
        self.surfaces: dict[str, dict[str, int]] = {}
        self.max_len = 0
        # compounds of the corpus by their words' readings ((ジドウ, テアテ) → 児童手当), for
        # kanji typos: one word of a compound converted to its homophone (自動手当)
        self.compounds: dict[tuple[str, ...], dict[tuple[str, ...], int]] = {}
        self.kana_runs: set[str] = set()  # the corpus's own kana runs
        self._kana_text = ""  # the same, joined, for substring tests
        self._lock = threading.Lock()

    def fork(self) -> "KanaRestorer":
        other = KanaRestorer(self.analyzer)
        with self._lock:
            other.surfaces = {k: dict(v) for k, v in self.surfaces.items()}
            other.compounds = {k: dict(v) for k, v in self.compounds.items()}
            other.max_len = self.max_len
            other.kana_runs, other._kana_text = set(self.kana_runs), self._kana_text
        return other

    def learn(self, text: str, official: bool = True) -> None:
        """`official`: the city's own wording (its kana runs are real kana, see above)."""
        words = self.analyzer.nouns_with_reading(text)
        found: list[tuple[str, str]] = []
        compounds: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for i in range(len(words)):
            for j in range(i + 1, min(i + self.MAX_COMPOUND, len(words)) + 1):
                run = words[i:j]
                if any(w is None for w in run):
                    break
                surface = "".join(w[0] for w in run)
                kana = "".join(w[1] for w in run)
                if (_KANJI.search(surface) or _KANA_ONLY.match(surface)) and len(kana) >= self.MIN_KANA:
                    found.append((kana, surface))
                if len(run) > 1 and _KANJI.search(surface):
                    compounds.append((tuple(long_vowels(w[1]) for w in run), tuple(w[0] for w in run)))
        runs = set(_KANA_RUN.findall(unicodedata.normalize("NFKC", text))) if official else set()
        with self._lock:
            new_runs = runs - self.kana_runs
            if new_runs:
                self.kana_runs |= new_runs
                self._kana_text += "|" + "|".join(sorted(new_runs))
            for kana, surface in found:
                counts = self.surfaces.setdefault(long_vowels(kana), {})
                counts[surface] = counts.get(surface, 0) + 1
                self.max_len = max(self.max_len, len(kana))
            for readings, parts in compounds:
                counts = self.compounds.setdefault(readings, {})
                counts[parts] = counts.get(parts, 0) + 1

    def _best(self, kana: str) -> str:
        counts = self.surfaces[kana]
        return max(counts, key=lambda s: (counts[s], -len(s), s))

    def _homophones_fixed(self, text: str) -> str:
        """A compound of the corpus with one of its words typed as a homophone, the way a
        kana-to-kanji conversion slips (自動手当 → 児童手当, 介護保健料 → 介護保険料). Only
        inside a compound: other words of it (two characters or more) must be the
        corpus's own, so a word that merely sounds like one of the corpus's (公園, 講演)
        is never touched."""
        words = self.analyzer.words(text)
        out, i = [], 0
        while i < len(words):
            for n in range(min(self.MAX_COMPOUND, len(words) - i), 1, -1):
                run = words[i : i + n]
                if any(kana is None for _, _, kana in run) or any(space for space, _, _ in run[1:]):
                    continue
                typed = tuple(surface for _, surface, _ in run)
                known = self.compounds.get(tuple(long_vowels(kana) for _, _, kana in run))
                if not known or typed in known:
                    continue
                parts = max(known, key=lambda p: (known[p], p))
                same = [a == b for a, b in zip(typed, parts)]
                slips = all(_KANJI.search(a) and _KANJI.search(b) for a, b, s in zip(typed, parts, same) if not s)
                anchor = sum(len(a) for a, s in zip(typed, same) if s)
                if anchor >= 2 and slips:  # 何回 is not 何階: one shared kanji anchors nothing
                    out.append(run[0][0] + "".join(parts))
                    i += n
                    break
            else:
                out.append(words[i][0] + words[i][1])
                i += 1
        return "".join(out)

    def in_kanji(self, text: str) -> str:
        """Analyzer.in_kanji, leaving alone the kana words the city itself writes in kana (ごみ, not 塵)."""
        with self._lock:
            return self.analyzer.in_kanji(text, keep=lambda word: word in self._kana_text)

    def restore(self, text: str) -> str:
        with self._lock:  # learn() may run at the same time (a staff edit)
            return self._restore(text)

    def _restore(self, text: str) -> str:
        if not self.surfaces:
            return text

        text = self._homophones_fixed(unicodedata.normalize("NFKC", text))
        starts, inside_inflected = self.analyzer.word_bounds(text)

        def rewrite(m: re.Match) -> str:
            run, at = m.group(0), m.start()
            kata = long_vowels(to_katakana(run))
            out, i = [], 0
            while i < len(kata):
                for n in range(min(self.max_len, len(kata) - i), self.MIN_KANA - 1, -1):
                    if (kata[i : i + n] in self.surfaces and at + i in starts
                            and at + i + n not in inside_inflected and run[i : i + n] not in self._kana_text):
                        out.append(self._best(kata[i : i + n]))
                        i += n
                        break
                else:
                    out.append(run[i])
                    i += 1
            return "".join(out)

        restored = _KANA_RUN.sub(rewrite, text)
        if _KATAKANA.search(text) and not _HIRAGANA_OR_KANJI.search(text):
            # Written all in katakana (as on some phones and older keyboards): what is not
            # the corpus's own katakana word, nor one the synonyms know (ファミサポ), is a word
            # written in katakana (イツ, デキル).
            known = self.analyzer.synonyms.canonical
            restored = _KATAKANA_RUN.sub(
                lambda m: m.group(0) if m.group(0) in self._kana_text or m.group(0) in known
                else to_hiragana(m.group(0)), restored)
        return restored
