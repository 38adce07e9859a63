"""Japanese text rules shared by the NLU components (no Rasa imports: unit-testable)."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
# Dash look-alikes residents type between digits (ー from the kana keyboard, ‐ －…).
_DIGIT_DASH = re.compile(r"(?<=[0-9A-Za-z])[ー‐‑‒–—―−－](?=[0-9])")

# Words that mean something is happening now and needs 119/110. Kept narrow on purpose:
# 「地震の備え」 or 「火事のときの避難所」 are questions, not emergencies.
_EMERGENCY = re.compile(
    "|".join(
        [
            r"火事(です|だ|！|!|$)", r"燃えて(いる|る|ます)", r"救急車", r"(人|ひと|父|母|祖父|祖母|夫|妻|子|友達)が倒れ",
            r"倒れて(いる|る|ます|しまった)", r"息をしていない", r"息してない", r"意識が(ない|無い)", r"血が止まらない",
            r"溺れて", r"おぼれて", r"下敷き", r"閉じ込められ", r"ガス(臭い|くさい)", r"^(たすけて|助けて)",
            r"泥棒に入られ|強盗|不審者に", r"110番|119番", r"^11[09]$",
        ]
    )
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _DIGIT_DASH.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def is_emergency(text: str) -> bool:
    return bool(_EMERGENCY.search(normalize(text)))
