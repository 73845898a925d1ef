"""The one place that chooses a backend for each swappable part."""

from __future__ import annotations

from assistant.embeddings import Embedder, SentenceTransformerEmbedder
from assistant.settings import Settings
from assistant.store import ChromaStore, VectorStore


def build_embedder(settings: Settings) -> Embedder:
    return SentenceTransformerEmbedder(settings.embedding_model, settings.embed_batch_size)


def build_store(settings: Settings) -> VectorStore:
    match settings.chroma_url:
        case None:
            return ChromaStore.persistent(settings.chroma_path, settings.collection)
        case url:
            return ChromaStore.http(url, settings.collection)
