"""The list's rows nearest what a message means, for a thing no name of the list found.

「コーヒー淹れる機械（ドリップのやつ）」「庭のマンゴーにかけてた袋」「象印のポット、電気でお湯を保温しとくやつ」 describe a
thing rather than name it as the list does; the matcher (api/gomi/matcher.py) finds things by their names
and the lexicon's words, and finds nothing here. The FAQ search's own embedding model (multilingual-e5,
api/faq/dense.py) reads the message and each row's name as sentences, and the rows nearest it are offered
as a もしかして — never as a sure answer, and only where nothing else speaks for the message
(api/gomi/topic.py decides when).

The model's nearness alone does not tell a description from small talk: 「こんにちは」「え？」 come as near to
short names (ござ, 鉈, 枡) as 「マキタのドリル」 to ドリル. So the rows are offered only when the nearest one shares
a noun with the message (by its reading: 缶 and カン are one): the model says which row the message means,
a word of the message says that it means a row at all.

Each row's name is embedded once, through the FAQ's on-disk embedding cache (a restart or a staff edit
recomputes only new names); a resident's message is embedded in memory only, like the FAQ's own queries:
nothing a resident says is written to disk.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from api.faq.dense import Embedder, EmbeddingCache
from api.gomi.matcher import Item, nouns

# How near (cosine of the e5 vectors) the nearest row's name must come to a message, and how many rows
# are offered. From the dev halves of the thirty-three bench sets (bench/data/gomi*/, README ごみ分別),
# over the messages the matcher found nothing in, named no rule in, and the FAQ had nothing for, with
# 70 small-talk lines (35 on two lists): with the nearest row sharing a noun and 0.84, the three rows held
# the right one for 21 of the 68 item messages (12 more got rows without it), 3 of the 22 other-matter
# messages got rows (「軒下にスズメバチの巣ができた。駆除してもらえますか」: the list's 蜂の巣), and 2 of the 70
# small-talk lines (「おまえロボットだろ」: ロボット掃除機). Any of the three sharing one: 21, 17, 5, 2; no noun
# asked for: 22, 35, 13, 64; the nearest sharing one at 0.85: 19, 11, 3, 2.
NEAR = 0.84
OFFERED = 3
# a resident's repeated message (the chat asks the list, the console tries it again) is embedded once
KEPT = 512


class Meanings:
    """The rows of one list by their names' meaning; rebuilt with the matcher (api/gomi/service.py)."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache, items: list[Item]):
        self._embedder = embedder
        self.uids = [i.uid for i in items]
        self.nouns = [nouns(i.name) for i in items]
        self.vectors = cache.embed(embedder, [i.name for i in items]) if items else np.zeros((0, embedder.dim))
        # (kept per list: lru_cache is thread-safe, and a rebuilt list starts afresh)
        self._query = lru_cache(maxsize=KEPT)(self._embed)

    def _embed(self, text: str) -> np.ndarray:
        return self._embedder.queries([text])[0]

    def nearest(self, text: str) -> tuple[list[str], float]:
        """The OFFERED rows nearest the message, best first, and the best one's nearness; none when even the
        best is not NEAR or shares no noun with the message."""
        said = nouns(text)
        if not self.uids or not said:
            return [], 0.0
        scores = self.vectors @ self._query(text)
        best = np.argsort(-scores)[:OFFERED]
        top = float(scores[best[0]])
        if top < NEAR or not said & self.nouns[best[0]]:
            return [], top
        return [self.uids[i] for i in best], top
