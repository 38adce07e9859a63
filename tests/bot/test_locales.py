"""The text catalogue (locales/): every language has exactly ja.yml's keys, the same placeholders,
no empty text; domain.yml's responses and button titles are ja.yml's texts (bot/nlg.py finds them
by name and by title); the actions' keys all exist."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import locales

ROOT = Path(__file__).resolve().parents[2]
OTHERS = [lang for lang in locales.LANGS if lang != "ja"]


def test_every_language_has_a_file_and_nothing_else_is_there():
    files = sorted(p.stem for p in (ROOT / "locales").glob("*.yml"))
    assert files == sorted(locales.LANGS)


@pytest.mark.parametrize("lang", OTHERS)
def test_same_keys_and_placeholders_as_japanese(lang):
    ja, other = locales.catalogue("ja"), locales.catalogue(lang)
    assert set(other) == set(ja), (set(ja) - set(other), set(other) - set(ja))
    for key, template in ja.items():
        assert locales.placeholders(other[key]) == locales.placeholders(template), (lang, key)
        assert other[key].strip(), (lang, key)


@pytest.mark.parametrize("lang", [lang for lang in OTHERS if lang != "ja-easy"])
def test_foreign_texts_are_not_left_in_japanese(lang):
    """A translation, not a copy: no kana in any text but the language menu's 「言語」 line, the
    unknown city's office names and a few Japanese words kept on purpose (ふりがな, やさしい日本語)."""
    kana = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff]")  # not ・, a list's bullet in CJK texts
    keep = {"line_language_menu"}
    for key, value in locales.catalogue(lang).items():
        if key not in keep:
            assert not kana.search(value.replace("やさしい日本語", "")), (lang, key, value)


def test_domain_responses_are_the_catalogue_texts():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    ja = locales.catalogue("ja")
    titles = set(locales.reverse_ja())
    for name, variants in domain["responses"].items():
        for variant in variants:
            assert ja[name] == variant["text"], name
            for b in variant.get("buttons") or []:
                assert b["title"] in titles, (name, b["title"])


def test_text_fills_placeholders_and_falls_back_to_japanese_for_unknown_languages():
    assert locales.text("en", "status_header", number="A-1", procedure="X").count("A-1") == 1
    assert locales.text("xx", "button_stop") == "やめる"
    assert locales.text(None, "button_stop") == "やめる"
    assert locales.valid("zh-Hans") == "zh-Hans" and locales.valid("<script>") == "ja"
    assert locales.html_lang("ja-easy") == "ja"


def test_keys_the_code_uses_exist():
    ja = locales.catalogue("ja")
    used = set()
    for path in list((ROOT / "actions").glob("*.py")) + [ROOT / "api" / "channels" / "line.py"]:
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\b(?:t|text|button)\(\s*[\w.]+,\s*\"([a-z_]+)\"", src))
        used |= set(re.findall(r"\(\"(button_[a-z_]+)\",", src))
    assert len(used) > 60
    missing = {k for k in used if k not in ja}
    assert not missing, missing


def test_language_names_are_their_own():
    names = locales.language_names()
    assert list(names) == list(locales.LANGS)
    assert names["en"] == "English" and names["zh-Hans"] == "中文（简体）" and names["ne"] == "नेपाली"
