"""DenseIndex on random unit vectors: exact scoring, and the two-stage path used at size."""
import numpy as np

from api.faq.dense import DenseIndex


def _unit(rng, n, dim=16):
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _index(rng, docs=60):
    index = DenseIndex(16)
    for slot in range(docs):
        n = 1 + slot % 4
        index.add(slot, _unit(rng, n), [0] + [1] * (n - 1))
    return index


def test_exact_score_is_the_best_unit_per_kind():
    rng = np.random.default_rng(1)
    index = DenseIndex(16)
    vecs = _unit(rng, 3)
    index.add(0, vecs, [1, 0, 1])
    q = _unit(rng, 1)
    out = index.score(q, 1)
    sims = vecs @ q[0]
    assert np.isclose(out[0, 0], sims[1]) and np.isclose(out[1, 0], max(sims[0], sims[2]))


def test_two_stage_equals_exact_for_every_shortlisted_document():
    rng = np.random.default_rng(2)
    index = _index(rng)
    index.remove(7)
    q = _unit(rng, 1)
    exact = index.score(q, 60)
    index.EXACT_ROWS, index.SHORTLIST = 0, 60
    assert np.allclose(index.score(q, 60), exact)
    index.SHORTLIST = 5
    two = index.score(q, 60, also=np.array([3, 40]))
    scored = np.flatnonzero(two[1] > -1)  # documents with answer units whose units were scored
    assert {3, 40} <= set(np.flatnonzero(np.isclose(two[0], exact[0])))
    assert np.allclose(two[:, scored], exact[:, scored])
    best = int(np.argmax(exact.max(axis=0)))
    assert np.isclose(two[:, best].max(), exact[:, best].max())  # the winner survives the first pass
    assert two[0, 7] == -1 and two[1, 7] == -1  # removed stays out


class _CountingEmbedder:
    """A stand-in embedder: a text's vector is its length, and every call is recorded."""

    name, dim = "counting", 2

    def __init__(self):
        self.calls: list[list[str]] = []

    def passages(self, texts):
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_cache_embeds_each_missing_text_once_shortest_first_and_keeps_the_order(tmp_path):
    from api.faq.dense import EmbeddingCache

    cache, embedder = EmbeddingCache(tmp_path / "e.sqlite"), _CountingEmbedder()
    texts = ["ccc", "a", "bb", "a", "dddd"]
    out = cache.embed(embedder, texts, batch=2)
    assert out[:, 0].tolist() == [3, 1, 2, 1, 4]  # each vector where its text was
    assert embedder.calls == [["a", "bb"], ["ccc", "dddd"]]  # once each, batches of like lengths
    again = EmbeddingCache(tmp_path / "e.sqlite").embed(embedder, texts + ["ee"])
    assert embedder.calls[2:] == [["ee"]] and again[:, 0].tolist() == [3, 1, 2, 1, 4, 2]


def test_a_long_embedding_logs_its_progress(tmp_path, caplog, monkeypatch):
    import logging

    from api.faq.dense import EmbeddingCache, Progress

    monkeypatch.setattr(Progress, "FROM", 10)
    monkeypatch.setattr(Progress, "EVERY_S", 0.0)
    with caplog.at_level(logging.INFO, logger="api.faq.dense"):
        EmbeddingCache(None).embed(_CountingEmbedder(), [f"text {i}" for i in range(30)], batch=10)
        lines = [r.getMessage() for r in caplog.records]
        assert lines[0] == "embedding 30 text units not in the cache (counting)"
        assert lines[1].startswith("embedding: 10 / 30 units, 3") and "units/s, about" in lines[1]
        assert lines[-1].startswith("embedding: 30 units in ")
        caplog.clear()
        EmbeddingCache(None).embed(_CountingEmbedder(), ["few", "texts"])  # a staff edit: quiet
        assert not caplog.records
