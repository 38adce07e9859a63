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
