"""The languages an FAQ entry can carry besides its Japanese text, and which answer a
resident who asked in a language gets.

Staff write these texts themselves (console, import, corpus YAML): madoguchi never
machine-translates an answer. "ja-easy" is やさしい日本語 (an easier Japanese answer; no
question of its own: the Japanese question stays). The others are the foreign languages
of the widget's menu (api/channels/web.py LANGS, BCP 47 tags); for them staff may also
give the question in that language, which is shown and matched.
"""
from __future__ import annotations

EASY = "ja-easy"
FOREIGN = ("en", "zh-Hans", "ko", "vi", "pt", "es", "fil", "ne", "id")
TRANSLATION_LANGS = (EASY, *FOREIGN)
# how the console and the export name them (in Japanese for staff; each language also in its own name)
LABELS = {EASY: "やさしい日本語", "en": "英語 English", "zh-Hans": "中国語（簡体字） 中文", "ko": "韓国語 한국어",
          "vi": "ベトナム語 Tiếng Việt", "pt": "ポルトガル語 Português", "es": "スペイン語 Español",
          "fil": "フィリピノ語 Filipino", "ne": "ネパール語 नेपाली", "id": "インドネシア語 Bahasa Indonesia"}
# the HTML lang attribute of each ("ja-easy" is our tag, not BCP 47: easy Japanese is Japanese)
HTML_LANG = {lang: ("ja" if lang == EASY else lang) for lang in TRANSLATION_LANGS}
# column suffixes in CSV / Excel (answer_easy, answer_en, question_zh_hans …): letters, digits, '_'
COLUMN_SUFFIX = {lang: ("easy" if lang == EASY else lang.lower().replace("-", "_")) for lang in TRANSLATION_LANGS}


def answer_in(answer: str, translations: dict | None, lang: str | None) -> tuple[str, str]:
    """(answer, its language) for a resident who reads `lang`: the staff's answer in that
    language when there is one, else the やさしい日本語 answer when there is one (for any
    language but Japanese), else the Japanese answer. This is the contract with the bot."""
    translations = translations or {}
    if lang and lang != "ja":
        own = translations.get(lang) or {}
        if own.get("answer"):
            return own["answer"], lang
        easy = translations.get(EASY) or {}
        if easy.get("answer"):
            return easy["answer"], EASY
    return answer, "ja"


def question_in(question: str, translations: dict | None, lang: str | None) -> tuple[str, str]:
    """(question, its language): the staff's translated question for a foreign language, else the Japanese one."""
    own = (translations or {}).get(lang or "ja") or {}
    if lang in FOREIGN and own.get("question"):
        return own["question"], lang
    return question, "ja"


# The translations as flat fields: the console's form fields and the CSV / Excel columns
# (answer_easy, question_en, answer_en, …), in this order.
FLAT_FIELDS: dict[str, tuple[str, str]] = {}
for _lang in TRANSLATION_LANGS:
    if _lang != EASY:
        FLAT_FIELDS[f"question_{COLUMN_SUFFIX[_lang]}"] = (_lang, "question")
    FLAT_FIELDS[f"answer_{COLUMN_SUFFIX[_lang]}"] = (_lang, "answer")
FLAT_LABELS = {key: f"{'質問' if part == 'question' else '回答'}（{LABELS[lang]}）"
               for key, (lang, part) in FLAT_FIELDS.items()}


def flatten(translations: dict | None) -> dict[str, str]:
    """{lang: {question?, answer}} → {answer_en: …, question_en: …} (every flat field, "" when missing)."""
    translations = translations or {}
    return {key: (translations.get(lang) or {}).get(part) or "" for key, (lang, part) in FLAT_FIELDS.items()}


def unflatten(fields: dict) -> dict[str, dict[str, str]]:
    """The flat fields of a form or a row back to {lang: {question, answer}} (blank languages
    are left for the schema to drop)."""
    out: dict[str, dict[str, str]] = {}
    for key, (lang, part) in FLAT_FIELDS.items():
        value = fields.get(key)
        if value is not None and str(value).strip():
            out.setdefault(lang, {})[part] = str(value)
    return out
