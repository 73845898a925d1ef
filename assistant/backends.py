"""The one place that chooses a backend for each swappable part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.embeddings import Embedder, SentenceTransformerEmbedder
from assistant.settings import Settings
from assistant.store import ChromaStore, StoreOpener, VectorStore

if TYPE_CHECKING:
    from assistant.chat.generate import Generator


def build_embedder(settings: Settings) -> Embedder:
    """PyTorch by default; ONNX Runtime exports the model into data_dir once, then loads it."""
    match settings.embedding_backend:
        case "onnx" | "onnx-int8" as backend:
            from assistant.embeddings_onnx import onnx_embedder

            return onnx_embedder(
                settings.data_dir,
                settings.embedding_model,
                quantized=backend == "onnx-int8",
                batch_size=settings.embed_batch_size,
            )
        case _:
            return SentenceTransformerEmbedder(settings.embedding_model, settings.embed_batch_size)


def build_store_opener(settings: Settings) -> StoreOpener:
    """Opens a collection by name: embedded Chroma in the data dir, or a `chroma run` server."""

    def open_store(collection: str) -> VectorStore:
        match settings.chroma_url:
            case None:
                return ChromaStore.persistent(settings.chroma_path, collection)
            case url:
                return ChromaStore.http(url, collection)

    return open_store


def build_generator(settings: Settings) -> Generator:
    """Extractive answers by default; an OpenAI-compatible LLM rewords them when enabled."""
    from assistant.chat.generate import ExtractiveGenerator, OpenAIGenerator

    match settings.llm_enabled:
        case True:
            return OpenAIGenerator(settings)
        case _:
            return ExtractiveGenerator()
