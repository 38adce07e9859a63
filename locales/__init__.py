"""The bot's own resident-facing texts, one YAML file per language (locales/<lang>.yml).

ja.yml is the source of truth; every other file has exactly its keys and the same {placeholders}
(tests/bot/test_locales.py). The translations were written and reviewed in the project: nothing is
machine-translated at run time and nothing is downloaded. Used by the action server (.venv-bot), the
Rasa server's NLG (bot/nlg.py) and the api (LINE texts), so this module needs only PyYAML.
"""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

DIR = Path(__file__).resolve().parent
# BCP 47 codes; "ja-easy" is やさしい日本語 (its text is Japanese: HTML lang="ja")
LANGS = ("ja", "ja-easy", "en", "zh-Hans", "ko", "vi", "pt", "es", "fil", "ne", "id")
DEFAULT = "ja"
JAPANESE = ("ja", "ja-easy")


def valid(lang: Any) -> str:
    """`lang` when it is one of ours, else Japanese (a missing or crafted value is never an error)."""
    return lang if isinstance(lang, str) and lang in LANGS else DEFAULT


def is_foreign(lang: Optional[str]) -> bool:
    """A language other than Japanese and やさしい日本語."""
    return valid(lang) not in JAPANESE


def html_lang(lang: Optional[str]) -> str:
    """The HTML lang attribute of a text in `lang` (やさしい日本語 is Japanese)."""
    lang = valid(lang)
    return "ja" if lang == "ja-easy" else lang


@lru_cache(maxsize=None)
def catalogue(lang: str) -> Dict[str, str]:
    with open(DIR / f"{valid(lang)}.yml", encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return {str(k): str(v) for k, v in data.items()}


def placeholders(template: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(lang: Optional[str], key: str, **values: Any) -> str:
    """The text `key` in `lang` with its placeholders filled (Japanese when a file lacks it)."""
    template = catalogue(valid(lang)).get(key)
    if template is None:
        template = catalogue(DEFAULT)[key]
    return template.format(**values) if values or placeholders(template) else template


def language_names() -> Dict[str, str]:
    """Each language's name in itself (日本語, English, 中文（简体）…), in LANGS order."""
    return {lang: catalogue(lang)["_language"] for lang in LANGS}


def reverse_ja() -> Dict[str, str]:
    """Japanese text → key, for texts that appear in domain.yml (button titles)."""
    return {v: k for k, v in catalogue(DEFAULT).items()}
