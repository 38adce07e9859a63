"""Kana readings over the kanji words of a text, as segments that join back into the text.

    住民票の写しは → (住民票, じゅうみんひょう) (の, None) (写, うつ) (しは, None)

Only words with kanji get a reading (numbers, kana, Latin, symbols, URLs and phone numbers are left
as they are); a word's okurigana are split off so a reading covers only its kanji (読み: よ over
読); nouns written next to each other form one word (住民 + 票 → 住民票 じゅうみんひょう), as a
resident reads them. The tagger is the FAQ search's (api.faq.analysis.Analyzer, one per thread);
readings.tsv and a city's readings/*.tsv mend what it reads wrong.
"""
from __future__ import annotations

import re
from functools import lru_cache

from api.faq.analysis import Analyzer, to_hiragana
from api.furigana import rules
from api.furigana.wordlist import WordList

Segment = tuple[str, "str | None"]

_KANJI_CHARS = r"\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆ヶ"
_KANJI = re.compile(f"[{_KANJI_CHARS}]")
_KANJI_ONLY = re.compile(f"[{_KANJI_CHARS}]+")
_RUNS = re.compile(f"[{_KANJI_CHARS}]+|[^{_KANJI_CHARS}]+")
_KANA_READING = re.compile(r"[\u3041-\u3096ー]+")
# the widget links exactly these (api/static/widget.js URL_RE): a URL stays one plain segment
_URL = re.compile(r"https?://[^\s<>\"'`「」『』（）()【】［］\[\]、。，．\u3000]+")


def align(surface: str, reading: str | None) -> list[Segment]:
    """A word and its hiragana reading → segments with the reading over the kanji runs only:
    (読み, よみ) → (読, よ) (み, None); (申し込み, もうしこみ) → (申, もう) (し) (込, こ) (み).
    Where the kana of the word do not line up with its reading, the whole word gets it."""
    if not reading or not _KANJI.search(surface):
        return [(surface, None)]
    runs = _RUNS.findall(surface)
    if len(runs) == 1:
        return [(surface, reading)]
    pattern = "".join("(.+?)" if _KANJI.match(run) else re.escape(to_hiragana(run)) for run in runs)
    m = re.fullmatch(pattern, reading)
    if not m:
        return [(surface, reading)]
    groups = iter(m.groups())
    return [(run, next(groups)) if _KANJI.match(run) else (run, None) for run in runs]


def joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring plain segments as one."""
    out: list[Segment] = []
    for text, reading in segments:
        if not text:
            continue
        if reading is None and out and out[-1][1] is None:
            out[-1] = (out[-1][0] + text, None)
        else:
            out.append((text, reading))
    return out


class Furigana:
    def __init__(self, analyzer: Analyzer, words: WordList | None = None, cache_size: int = 4096):
        self.analyzer = analyzer
        self.words = words or WordList({})
        # bot texts repeat (greetings, the same FAQ answers): each is analysed once
        self._cached = lru_cache(maxsize=cache_size)(self._segments)

    def segments(self, text: str) -> list[Segment]:
        return list(self._cached(text))

    def _segments(self, text: str) -> tuple[Segment, ...]:
        if not _KANJI.search(text):
            return ((text, None),) if text else ()
        out: list[Segment] = []
        at = 0
        for url in _URL.finditer(text):
            out += self._listed(text[at : url.start()])
            out.append((url.group(0), None))
            at = url.end()
        out += self._listed(text[at:])
        return tuple(joined(out))

    def _listed(self, text: str) -> list[Segment]:
        """The word list's words with their reviewed readings; the tagger reads the rest."""
        if not text or self.words.pattern is None:
            return self._tagged(text)
        out: list[Segment] = []
        at = 0
        for m in self.words.pattern.finditer(text):
            out += self._tagged(text[at : m.start()])
            out += align(m.group(0), self.words.words[m.group(0)])
            at = m.end()
        return out + self._tagged(text[at:])

    def _tagged(self, text: str) -> list[Segment]:
        if not _KANJI.search(text):
            return [(text, None)] if text else []
        words: list[list] = []  # [surface, hiragana reading or None], in order, gaps included
        at = 0
        number: tuple[int, int, bool] | None = None  # (value, end, after 〇月) of the number just before
        for m in self.analyzer.morphemes(text):
            start = text.find(m.surface, at)
            if start < 0:  # the tagger changed the text (never seen): the rest without readings
                break
            if start > at:
                words.append([text[at:start], None])
            at = start + len(m.surface)
            reading = None
            if _KANJI.search(m.surface):
                kana = rules.in_context(m.surface, m.kana, m.pos1)
                reading = to_hiragana(kana) if kana else None
                if reading and not _KANA_READING.fullmatch(reading):
                    reading = None
                if number and number[1] == start:
                    rule = rules.counter(number[0], m.surface, number[2])
                    if rule:
                        reading, covers = rule
                        if covers:  # 2日 ふつか: one word with its number
                            words[-1] = [words[-1][0] + m.surface, reading]
                            number = None
                            continue
            value = rules.number_of(m.surface) if m.pos2 == "数詞" else None
            after_month = bool(words) and words[-1][0].endswith("月") and words[-1][1] is not None
            number = (value, at, after_month) if value is not None else None
            words.append([m.surface, reading])
        if at < len(text):
            words.append([text[at:], None])
        return [seg for surface, reading in self._compounds(words) for seg in align(surface, reading)]

    @staticmethod
    def _compounds(words: list[list]) -> list[list]:
        """Nouns written in kanji next to each other as one word: 国民 健康 保険 → 国民健康保険."""
        out: list[list] = []
        for surface, reading in words:
            prev = out[-1] if out else None
            if (prev and reading and prev[1] and _KANJI_ONLY.fullmatch(surface)
                    and _KANJI_ONLY.fullmatch(prev[0])):
                prev[0] += surface
                prev[1] += rules.in_compound(surface, reading)
            else:
                out.append([surface, reading])
        return out
