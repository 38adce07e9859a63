"""Residents' names of things in other languages, read as the Japanese names the matcher knows.

Foreign residents ask in their own language or mix it into Japanese («How do I throw away an old
microwave?», «IKEA の bed frame すてたい», «微波炉怎么扔»). The city's list names things in Japanese
only, so before matching, the words of api/gomi/foreign.yml (names of things and a few words of
throwing away, in English, Chinese, Korean, Vietnamese, Portuguese, Spanish, Filipino, Nepali,
Indonesian and romaji) are replaced by the Japanese name they stand for; the Japanese matcher does
the rest (everyday names, materials, choices), so a foreign word reaches exactly what its Japanese
name would.

Words in Latin letters count only as whole words, without regard to case or accents (Vietnamese
is often typed without its marks), also in the plural; a word that is also an ordinary non-thing
word («can», «iron») is listed as `guarded` and counts only after an article, a determiner or an
adjective of state («an old iron», «empty cans»). Chinese is read only in a message without kana:
a Chinese word may be a Japanese word of another meaning, and a Japanese message has kana.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from api.gomi.lexicon import read_lexicon

LEXICON = Path(__file__).resolve().with_name("foreign.yml")
_LATIN = ("en", "vi", "pt", "es", "fil", "id", "romaji", "ne")  # (romanised Nepali is Latin too)
_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_OTHER_SCRIPT = re.compile(r"[\uac00-\ud7a3\u0900-\u097f]")  # Hangul, Devanagari
_WORD = re.compile(r"[a-z0-9]+")
# what comes before a guarded word that makes it a thing («an iron», «my old fan», «two cans»)
_BEFORE_GUARDED = ("a", "an", "the", "my", "our", "your", "his", "her", "their", "this", "that", "these", "those",
                   "some", "old", "used", "empty", "broken", "big", "small", "large", "little", "new", "dirty",
                   "two", "three", "many", "several", "few", "any", "no", "of", "every", "each", "another")


def fold_letters(text: str) -> str:
    """Lower case without accents, one character for one (đ → d): positions stay those of `text`."""
    out = []
    for c in text:
        base = unicodedata.normalize("NFKD", c)[:1] or c
        out.append({"đ": "d", "Đ": "d"}.get(c, base).lower()[:1] or c)
    return "".join(out)


def _is_latin(word: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in word)


def _plurals(word: str) -> list[str]:
    """The word and its regular plurals: bottle(s), box(es), battery → batteries; of a phrase, its last
    word (wine bottles) or its first (garrafas de vidro, latas de spray: the head comes first there)."""
    forms = [word, word + "s", word + "es"]
    if len(word) > 2 and word[-1] == "y" and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    first, space, rest = word.partition(" ")
    if space and first[-1:].isalpha():
        forms += [f"{first}s {rest}", f"{first}es {rest}"]
    return forms


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _by_first_word(words) -> dict[str, tuple[str, ...]]:
    """Latin words and phrases by their first word, longest first: a message is read word by word
    (one look-up per word) rather than by one pattern of thousands of alternatives, which took
    milliseconds for every message, also a Japanese one."""
    index: dict[str, list[str]] = {}
    for w in words:
        first = _WORD.match(w)
        if first:
            index.setdefault(first.group(), []).append(w)
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in index.items()}


@lru_cache(maxsize=1)
def _lexicon():
    """(Latin words by first word, guarded ones likewise, the other-script pattern, the Chinese
    pattern, word → Japanese name)."""
    data = read_lexicon(LEXICON) or {}
    japanese: dict[str, str] = {}
    latin, guarded, script, chinese = set(), set(), set(), set()

    def add(word: str, ja: str, lang: str, guard: bool) -> None:
        word = unicodedata.normalize("NFKC", str(word)).strip()
        if not word:
            return
        if lang in _LATIN and _is_latin(word):
            folded = fold_letters(word)
            forms = _plurals(folded) if lang != "vi" else [folded]
            for form in forms:
                japanese.setdefault(form, ja)
            (guarded if guard else latin).update(forms)
            if guard:  # a guarded word's plural is a thing by itself («cans»)
                latin.update(forms[1:])
        elif lang == "zh":
            if len(word) >= 2 and _HAN.match(word):
                japanese.setdefault(word, ja)
                chinese.add(word)
        elif len(word) >= 2:  # Korean, Nepali in Devanagari
            japanese.setdefault(word, ja)
            script.add(word)

    for section in ("things", "words"):
        for entry in data.get(section) or ():
            ja = entry["ja"]
            for lang, words in entry.items():
                if lang == "guarded":
                    for glang, gwords in (words or {}).items():
                        for w in gwords or ():
                            add(w, ja, glang, True)
                elif lang != "ja":
                    for w in words or ():
                        add(w, ja, lang, False)
    return (_by_first_word(latin), _by_first_word(guarded - latin),
            re.compile(_alternation(script)) if script else None,
            re.compile(_alternation(chinese)) if chinese else None, japanese)


def _latin_spans(folded: str, latin: dict, guarded: dict) -> list[tuple[int, int, str]]:
    spans = []
    before = ""  # the word before, when only spaces part it from this one
    last_end = -1
    for m in _WORD.finditer(folded):
        a = m.start()
        after_guard = before in _BEFORE_GUARDED and not folded[last_end:a].strip()
        for index in (latin, guarded) if after_guard else (latin,):
            for phrase in index.get(m.group(), ()):
                b = a + len(phrase)
                if folded.startswith(phrase, a) and not _WORD.match(folded[b:b + 1]):
                    # (a guarded word before «of» is a measure: «a box of old syringes», «a can of paint»)
                    if index is guarded and folded[b:b + 4] == " of ":
                        continue
                    spans.append((a, b, phrase))
                    break
        before, last_end = m.group(), m.end()
    return spans


def gloss(text: str) -> str:
    """`text` with every foreign name of a thing (and word of throwing away) replaced by its Japanese
    name, set apart by spaces; unchanged when there is none."""
    latin, guarded, script_re, chinese_re, japanese = _lexicon()
    # (a Latin word glued to katakana is a Japanese word's part: ACアダプター, CDラジカセ)
    spans = [(a, b, w) for a, b, w in _latin_spans(fold_letters(text), latin, guarded)
             if not _KATAKANA.match(text[b:b + 1]) and not _KATAKANA.match(text[a - 1:a] if a else "")]
    if script_re is not None and _OTHER_SCRIPT.search(text):
        spans += [(m.start(), m.end(), m.group()) for m in script_re.finditer(text)]
    if chinese_re is not None and not _KANA.search(text):
        spans += [(m.start(), m.end(), m.group()) for m in chinese_re.finditer(text)]
    if not spans:
        return text
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))  # the longest name wins where two overlap
    chosen: list[tuple[int, int, str]] = []
    for a, b, word in spans:
        if all(b <= x or a >= y for x, y, _ in chosen):
            chosen.append((a, b, japanese[word]))
    out, at = [], 0
    for a, b, ja in sorted(chosen):
        # 「spray 缶」: the Japanese word after it already ends the name (スプレー + 缶, not スプレー缶 缶)
        after = len(text[b:]) - len(text[b:].lstrip())
        end = next((n for n in range(len(ja) - 1, 0, -1) if text.startswith(ja[-n:], b + after)), 0)
        out += [text[at:a], f" {ja[:-end]}" if end else f" {ja} "]
        at = b + after if end else b
    out.append(text[at:])
    glossed = re.sub(r" {2,}", " ", "".join(out)).strip()
    # (Chinese 的 between two names is the Japanese の, the order the same: 「塑料瓶的盖子」 is ペットボトルのふた)
    return glossed.replace(" 的 ", "の") if not _KANA.search(text) else glossed
