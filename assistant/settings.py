"""The one configuration object, read from `MES_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.paths import KNOWLEDGE_DIR


class Settings(BaseSettings):
    """All settings of MES AI; built once at the edge and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="MES_", env_file=None, extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(Path(".mes-data"), description="Index, database and uploads live here.")
    knowledge_dir: Path = Field(KNOWLEDGE_DIR, description="Folder indexed by `mes-ai ingest`.")
    chroma_url: str | None = Field(
        None, description="Use a `chroma run` server instead of the embedded store."
    )
    collection: str = Field("mes_knowledge", description="Chroma collection name.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite in data_dir when unset."
    )

    embedding_model: Path | None = Field(
        None, description="Model folder; the packaged MiniLM when unset."
    )
    embed_batch_size: int = Field(64, ge=1, le=1024)
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "torch",
        description="Embedding runtime: PyTorch, or ONNX Runtime (fp32/int8) exported to data_dir.",
    )
    chunk_size: int = Field(900, ge=100, le=8000, description="Characters per chunk.")
    chunk_overlap: int = Field(120, ge=0, le=2000)
    max_file_bytes: int = Field(20_000_000, ge=1, description="Larger files are skipped at ingest.")

    search_k_max: int = Field(50, ge=1, le=500, description="Largest k a search may ask for.")
    dense_weight: float = Field(
        0.6, ge=0.0, le=1.0, description="Share of the dense score in fusion."
    )
    max_query_chars: int = Field(2000, ge=10)
    max_chat_chars: int = Field(
        4000, ge=10, le=100_000, description="Longest chat message accepted."
    )

    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint; enables the LLM."
    )
    llm_api_key: str | None = Field(
        None,
        validation_alias=AliasChoices("MES_LLM_API_KEY", "OPENAI_API_KEY", "llm_api_key"),
        description="Key for the endpoint (OPENAI_API_KEY is read too).",
    )
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the endpoint.")
    llm_timeout_s: float = Field(30.0, gt=0)

    max_request_bytes: int = Field(2_000_000, ge=1000, description="Largest HTTP request body.")
    host: str = Field("127.0.0.1", description="Address `mes-ai serve` binds to.")
    port: int = Field(8000, ge=1, le=65535)

    @field_validator("chroma_url", "database_url", "llm_base_url", "llm_api_key", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url or self.llm_api_key)

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.json"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'mes.db').resolve()}"
