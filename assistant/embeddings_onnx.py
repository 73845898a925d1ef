"""Sentence embeddings on ONNX Runtime: the packaged MiniLM, exported once into the data dir.

The export (PyTorch -> ONNX, optionally dynamic int8) runs once per source model and is cached
under `data_dir/models/minilm-onnx/<hash of the model files>/<variant>/`. At query time only
`onnxruntime` and `tokenizers` run: no PyTorch, no download. The graph contains the transformer,
mean pooling and L2 normalisation, so its output equals sentence-transformers' embedding.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.atomic import write_json
from assistant.embeddings import QueryMemo, Vectors, packaged_model_dir
from assistant.locks import exclusive

Variant = Literal["fp32", "int8"]
Progress = Callable[[str], None]

EXPORT_FORMAT = "2"
"""Bump when the exported graph changes: a new format gets a new cache folder."""
OPSET = 17
DEFAULT_MAX_SEQ_LENGTH = 256
PROBES = ("a", "knee", "shoulder mobility after surgery " * 40, "Übung 🏋️ 膝")
"""Texts of different lengths checked (as one padded batch) against PyTorch after each export."""
MIN_PROBE_COSINE: dict[Variant, float] = {"fp32": 0.9999, "int8": 0.95}

log = logging.getLogger(__name__)


class ExportError(RuntimeError):
    """The ONNX model cannot be built or loaded; the message says why."""


@dataclass(frozen=True)
class ExportedModel:
    """One exported variant on disk and what building it cost."""

    variant: Variant
    path: Path
    seconds: float
    reused: bool


def models_root(data_dir: Path) -> Path:
    """Where exported models are cached inside the data dir."""
    return data_dir / "models" / "minilm-onnx"


def _source_files(model_dir: Path) -> list[Path]:
    return sorted(p for p in model_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


def source_hash(model_dir: Path) -> str:
    """Hash of the source model's files (names and bytes) and of the export format."""
    digest = hashlib.sha256(f"minilm-onnx:{EXPORT_FORMAT}:{OPSET}\n".encode())
    for path in _source_files(model_dir):
        digest.update(f"{path.relative_to(model_dir).as_posix()}\n".encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def max_seq_length(model_dir: Path) -> int:
    """Token limit sentence-transformers applies (sentence_bert_config.json), else 256."""
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text("utf-8"))
        return int(config.get("max_seq_length") or DEFAULT_MAX_SEQ_LENGTH)
    except (OSError, ValueError, TypeError):
        return DEFAULT_MAX_SEQ_LENGTH


def _check_source(model_dir: Path) -> None:
    for name in ("config.json", "tokenizer.json"):
        if not (model_dir / name).is_file():
            raise ExportError(f"no {name} in the model folder {model_dir}")
    pooling = model_dir / "1_Pooling" / "config.json"
    if pooling.is_file():
        modes = json.loads(pooling.read_text("utf-8"))
        if not modes.get("pooling_mode_mean_tokens", False):
            raise ExportError(f"{model_dir} does not use mean pooling; only mean pooling exports")


def _valid(folder: Path) -> bool:
    """A variant folder whose model file matches the checksum written beside it."""
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        return bool(_file_sha256(folder / "model.onnx") == meta["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _export_lock(root: Path) -> AbstractContextManager[None]:
    """One exporter at a time across processes (server and CLI may start together)."""
    return exclusive(root / ".export.lock")


def _publish(staging: Path, folder: Path) -> None:
    """Move a finished staging folder into place, replacing a broken one."""
    if folder.exists():
        stale = folder.with_name(f".stale-{folder.name}-{os.getpid()}-{time.time_ns()}")
        folder.rename(stale)
        shutil.rmtree(stale, ignore_errors=True)
    staging.rename(folder)


def _torch_wrapper(model_dir: Path) -> Any:
    """The transformer plus mean pooling and L2 normalisation, as one torch module."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    transformer = AutoModel.from_pretrained(
        str(model_dir), local_files_only=True, attn_implementation="eager"
    ).eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            tokens = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return MeanPooled().eval()


def _export_fp32(model_dir: Path, target: Path, tokenizer: Any) -> None:
    import torch

    module = _torch_wrapper(model_dir)
    ids, mask = _encode(tokenizer, list(PROBES))
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            (torch.from_numpy(ids), torch.from_numpy(mask)),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
        reference = module(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    _check_probes(target, tokenizer, reference, "fp32")


def _export_int8(fp32: Path, target: Path, tokenizer: Any) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # quantize_dynamic logs advice through the root logger
    try:
        quantize_dynamic(
            str(fp32),
            str(target),
            op_types_to_quantize=["MatMul"],
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"MatMulConstBOnly": True},
        )
    finally:
        logging.disable(previous)
    ids, mask = _encode(tokenizer, list(PROBES))
    reference = _session(fp32, 1).run(None, {"input_ids": ids, "attention_mask": mask})[0]
    _check_probes(target, tokenizer, reference, "int8")


def _check_probes(model: Path, tokenizer: Any, reference: Vectors, variant: Variant) -> None:
    ids, mask = _encode(tokenizer, list(PROBES))
    vectors = _session(model, 1).run(None, {"input_ids": ids, "attention_mask": mask})[0]
    worst = float(np.min(np.sum(vectors * reference, axis=1)))
    if worst < MIN_PROBE_COSINE[variant]:
        raise ExportError(f"the {variant} export disagrees with its reference (cosine {worst:.4f})")


def export_model(
    data_dir: Path,
    model_dir: Path | None = None,
    variant: Variant = "fp32",
    force: bool = False,
    progress: Progress | None = None,
) -> ExportedModel:
    """The cached export of `model_dir` (the packaged MiniLM by default), built if missing."""
    say = progress or log.info
    source = model_dir or packaged_model_dir()
    _check_source(source)
    started = time.perf_counter()
    say(f"hashing the model files in {source}")
    home = models_root(data_dir) / source_hash(source)
    if variant == "int8":
        _ensure(home, source, "fp32", False, say, started)
    return _ensure(home, source, variant, force, say, started)


def _ensure(
    home: Path, source: Path, variant: Variant, force: bool, say: Progress, started: float
) -> ExportedModel:
    folder = home / variant
    if not force and _valid(folder):
        return ExportedModel(variant, folder / "model.onnx", time.perf_counter() - started, True)
    try:
        with _export_lock(home):
            if not force and _valid(folder):
                elapsed = time.perf_counter() - started
                return ExportedModel(variant, folder / "model.onnx", elapsed, True)
            staging = Path(tempfile.mkdtemp(prefix=f".{variant}-", dir=home))
            try:
                target = staging / "model.onnx"
                tokenizer = load_tokenizer(source)
                if variant == "int8":
                    say("quantising the weight matrices to int8 (dynamic, per channel)")
                    _export_int8(home / "fp32" / "model.onnx", target, tokenizer)
                else:
                    say("exporting the transformer with mean pooling to ONNX (PyTorch, once)")
                    _export_fp32(source, target, tokenizer)
                seconds = time.perf_counter() - started
                write_json(staging / "meta.json", _meta(target, variant, source, seconds))
                for path in (staging, target, staging / "meta.json"):
                    path.chmod(0o755 if path.is_dir() else 0o644)
                _publish(staging, folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"cannot export the {variant} ONNX model: {exc}") from exc
    say(f"{variant} model ready in {seconds:.1f} s: {folder / 'model.onnx'}")
    return ExportedModel(variant, folder / "model.onnx", seconds, False)


def _meta(model: Path, variant: Variant, source: Path, seconds: float) -> dict[str, object]:
    import onnxruntime
    import torch

    return {
        "variant": variant,
        "sha256": _file_sha256(model),
        "source": str(source),
        "setup_seconds": round(seconds, 2),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        "opset": OPSET,
    }


def load_tokenizer(model_dir: Path) -> Any:
    """The fast tokenizer from tokenizer.json, truncating as sentence-transformers does."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length(model_dir))
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def _encode(tokenizer: Any, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encodings = tokenizer.encode_batch([text.strip() for text in texts])
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    return ids, mask


def _session(model: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def default_threads() -> int:
    """Workers for batch embedding: the usable cores, at most 2."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


class OnnxEmbedder:
    """Embedder on ONNX Runtime; loads no PyTorch.

    A query (or any single batch) runs on a session with `threads` intra-op threads: on this
    2-core machine that takes a 20-token query from about 4.2 to 2.7 ms. A large `embed` call
    splits its length-sorted batches over `threads` workers instead, each on a one-thread
    session, so the cores are not oversubscribed.
    """

    variant: Variant = "fp32"

    def __init__(
        self,
        model_path: Path,
        tokenizer_dir: Path,
        batch_size: int = 64,
        threads: int | None = None,
        cache_size: int = 512,
    ) -> None:
        self.threads = threads or default_threads()
        try:
            self._session = _session(model_path, 1)
            self._query_session = (
                _session(model_path, self.threads) if self.threads > 1 else self._session
            )
            self._tokenizer = load_tokenizer(tokenizer_dir)
        except Exception as exc:
            raise ExportError(f"cannot load the ONNX model {model_path}: {exc}") from exc
        self.model_path = model_path
        self.tokenizer_dir = tokenizer_dir
        self.batch_size = batch_size
        self.dimension = int(self._run(["dimension probe"]).shape[1])
        self._memo: QueryMemo[Vectors] = QueryMemo(cache_size)
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def _run(self, texts: list[str], session: Any = None) -> Vectors:
        ids, mask = _encode(self._tokenizer, texts)
        out = (session or self._session).run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return np.asarray(out, dtype=np.float32)

    def _run_alone(self, texts: list[str]) -> Vectors:
        return self._run(texts, self._query_session)

    def _workers(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="onnx-embed")
            return self._pool

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [
            [texts[i] for i in order[start : start + self.batch_size]]
            for start in range(0, len(order), self.batch_size)
        ]
        if len(batches) == 1 or self.threads == 1:
            parts = [self._run_alone(batch) for batch in batches]
        else:
            parts = list(self._workers().map(self._run, batches))
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        vectors[order] = np.concatenate(parts)
        return vectors

    def embed_query(self, text: str) -> Vectors:
        """One text, memoised: the guard and retrieval often embed the same message."""
        return self._memo.get(text, lambda t: self._run_alone([t])[0])


class OnnxInt8Embedder(OnnxEmbedder):
    """The int8 variant; a type of its own so caches keyed on the embedder's type differ."""

    variant: Variant = "int8"


def onnx_embedder(
    data_dir: Path,
    model_dir: Path | None = None,
    quantized: bool = False,
    batch_size: int = 64,
    progress: Progress | None = None,
) -> OnnxEmbedder:
    """Export once if needed (rebuilding a broken cache), then load the ONNX embedder."""
    source = model_dir or packaged_model_dir()
    exported = export_model(data_dir, source, "int8" if quantized else "fp32", progress=progress)
    kind = OnnxInt8Embedder if quantized else OnnxEmbedder
    return kind(exported.path, source, batch_size)
