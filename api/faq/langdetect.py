"""Is a question Japanese, or in one of the foreign languages of api.faq.langs?

Read from the script, not guessed by a model: kana makes a question Japanese whatever
language the resident chose (a resident who chose English may still type 「住民票 コンビニ」);
Hangul is Korean, Devanagari Nepali; Han characters without kana are Japanese (「住民票」,
「戸籍謄本」 are common whole questions) unless they use simplified forms that Japanese
never writes (这 么 们 证 书 …) or the resident chose Chinese; Latin letters without any
Japanese script are a foreign language (the resident's, else "en": the search does not
need to know which Latin-script language it is, the embedding model reads them all).
"""
from __future__ import annotations

import re

from api.faq.langs import FOREIGN

_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Simplified characters that have no place in Japanese text (Japanese writes 這 / 証 / 書 … or
# nothing like them), and the commonest in questions residents ask
_SIMPLIFIED = set("这么们个吗呢门车样办为证书养龄险补续请问码银费时间怎哪谁给让还说话电脑带"
                  "离结疗习护签务处厅县乡镇扔垃圾废丢报销换领关过应该缴纳产记迁页网扫")
# a few letters that Latin text in Japanese never uses, but the foreign languages do
_VI = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def query_language(text: str, chosen: str | None = None) -> str:
    """"ja" or a language of api.faq.langs.FOREIGN (or "" for text with no letters at all,
    searched as Japanese). `chosen`: the resident's language, if any."""
    chosen = chosen if chosen in FOREIGN else None
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _DEVANAGARI.search(text):
        return "ne"
    if _HAN.search(text):
        if chosen == "zh-Hans" or any(ch in _SIMPLIFIED for ch in text):
            return "zh-Hans"
        return "ja"
    if _LATIN.search(text):
        if chosen:
            return chosen
        return "vi" if _VI.search(text) else "en"
    return "ja"
