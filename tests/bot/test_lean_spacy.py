"""bot/serve.py runs GiNZA without the pipes our NLU pipeline does not read. Whatever the
pipeline reads (token text and offsets, lemma, tag, vector; on the lower-cased text, as SpacyNLP
gives it) must be what the full pipeline gives, on every NLU training example: otherwise the
served model would see other features than it was trained on."""
import glob
import re

import numpy as np
import pytest
import spacy
import yaml

from bot.serve import UNREAD_PIPES, load_lean

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _examples() -> list[str]:
    texts = []
    for path in sorted(glob.glob("data/nlu/*.yml")):
        for item in (yaml.safe_load(open(path, encoding="utf-8")) or {}).get("nlu", []):
            for line in (item.get("examples") or "").splitlines():
                text = _ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
                if text:
                    texts.append(text)
    return texts


def _read(doc) -> list[tuple]:
    return [(t.text, t.idx, t.lemma_, t.tag_, t.vector.tobytes()) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    return spacy.load("ja_ginza", disable=["parser"]), load_lean("ja_ginza")  # Rasa's own load, ours


def test_the_lean_pipeline_has_none_of_the_unread_pipes(pipelines):
    full, lean = pipelines
    assert set(UNREAD_PIPES) <= set(full.component_names) and not set(UNREAD_PIPES) & set(lean.pipe_names)


def test_what_the_nlu_pipeline_reads_is_unchanged(pipelines):
    full, lean = pipelines
    texts = _examples() + ["ＡＢＣ１２３　ｶﾀｶﾅ", "A-2026-000101の状況", "🙂住民票", "<b>税</b>", ""]
    assert len(texts) > 500
    for text in texts:
        text = text.lower()
        assert _read(lean(text)) == _read(full(text)), text
    assert np.array_equal(lean("住民票").vector, full("住民票").vector)
