"""XLM-RoBERTa's SentencePiece unigram tokenizer (the e5 models' own), over the
vocabulary and normalisation map stored in the model file: normalise, collapse runs of
spaces, mark word starts with ▁, then the most probable segmentation (Viterbi)."""
from __future__ import annotations

import re

from api.faq.e5.model_file import Vocabulary

_SPACES = re.compile(" {2,}")
META = "\u2581"


class UnigramTokenizer:
    def __init__(self, vocabulary: Vocabulary):
        self.v = vocabulary
        self._pieces = vocabulary.pieces
        self._scores = vocabulary.scores.tolist()
        self._unk_score = min(self._scores) - 10.0  # as sentencepiece: below every piece
        self._table = str.maketrans(vocabulary.normalisation)
        # the longest piece starting with each character bounds the Viterbi's inner loop
        self._longest: dict[str, int] = {}
        for piece in self._pieces:
            if piece and len(piece) > self._longest.get(piece[0], 0):
                self._longest[piece[0]] = len(piece)

    def normalised(self, text: str) -> str:
        text = _SPACES.sub(" ", text.translate(self._table))
        return (text if text.startswith(" ") else " " + text).replace(" ", META)

    def pieces(self, text: str) -> list[int]:
        """Piece ids of `text`, without the sentence markers."""
        s = self.normalised(text)
        n = len(s)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or −1 for unknown, start)
        pieces, scores, unk = self._pieces, self._scores, self.v.unk
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + self._longest.get(s[i], 1)) + 1):
                idx = pieces.get(s[i:end])
                if idx is not None and idx != unk and here + scores[idx] > best[end]:
                    best[end] = here + scores[idx]
                    back[end] = (idx, i)
            if here + self._unk_score > best[i + 1]:
                best[i + 1] = here + self._unk_score
                back[i + 1] = (-1, i)
        out, i = [], n
        while i > 0:
            idx, i = back[i]
            out.append(unk if idx < 0 else idx)
        return out[::-1]

    def encode(self, text: str, limit: int) -> list[int]:
        """<s> pieces </s>, the pieces cut to fit `limit` ids in all."""
        return [self.v.bos, *self.pieces(text)[: max(limit - 2, 0)], self.v.eos]
