"""The ONNX Runtime embedder gives the same vectors as PyTorch, from a cached one-time export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from assistant import embeddings_onnx
from assistant.backends import build_embedder
from assistant.cli import app
from assistant.embeddings import SentenceTransformerEmbedder
from assistant.embeddings_onnx import (
    ExportError,
    OnnxEmbedder,
    OnnxInt8Embedder,
    export_model,
    models_root,
    onnx_embedder,
)
from assistant.services import Services
from assistant.settings import Settings

TEXTS = [
    "Can my client with COPD do interval training at home?",
    "knee",
    "",
    "   ",
    "?!",
    "Progressive resistance training after total knee replacement: " * 60,
    "Übungen für die Schulter nach einer Operation",
    "肩の痛みがある人のための運動",
    "تمارين لآلام أسفل الظهر",
    "🏋️‍♀️💪🔥 squats & lunges!!",
    "BMI 31.2, BP 142/91 mmHg, HbA1c 6.9 % — tier 2?",
    "line one\n\n\tline two\r\nline three",
]


@pytest.fixture(scope="session")
def onnx_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fp32 export and its int8 quantisation, shared by every test in the session."""
    data_dir = tmp_path_factory.mktemp("onnx-data")
    export_model(data_dir, variant="int8")
    return data_dir


@pytest.fixture(scope="session")
def onnx_fp32(onnx_data: Path) -> OnnxEmbedder:
    return onnx_embedder(onnx_data)


@pytest.fixture(scope="session")
def onnx_int8(onnx_data: Path) -> OnnxEmbedder:
    return onnx_embedder(onnx_data, quantized=True)


@pytest.fixture(scope="session")
def torch_vectors(embedder: SentenceTransformerEmbedder) -> np.ndarray:
    return embedder.embed(TEXTS)


@pytest.fixture()
def copied_cache(onnx_data: Path, tmp_path: Path) -> Path:
    """A data dir holding a private copy of the session's export, free to damage."""
    data_dir = tmp_path / "data"
    shutil.copytree(models_root(onnx_data), models_root(data_dir))
    return data_dir


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _forbid_export(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("exported again although a valid cache exists")

    monkeypatch.setattr(embeddings_onnx, "_export_fp32", refuse)
    monkeypatch.setattr(embeddings_onnx, "_export_int8", refuse)


def _only_variant(data_dir: Path, variant: str) -> Path:
    (model,) = models_root(data_dir).glob(f"*/{variant}/model.onnx")
    return model


@pytest.mark.slow
def test_fp32_vectors_equal_pytorch_for_every_kind_of_text(
    onnx_fp32: OnnxEmbedder, torch_vectors: np.ndarray
) -> None:
    vectors = onnx_fp32.embed(TEXTS)
    assert vectors.shape == torch_vectors.shape and vectors.dtype == np.float32
    worst = _cosines(vectors, torch_vectors)
    assert worst.min() > 0.999, dict(zip(TEXTS, worst.round(5), strict=True))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_int8_vectors_stay_close_to_pytorch(
    onnx_int8: OnnxEmbedder, torch_vectors: np.ndarray
) -> None:
    """Close on anything with words in it; one- or no-token inputs drift a little more."""
    cosines = _cosines(onnx_int8.embed(TEXTS), torch_vectors)
    table = dict(zip(TEXTS, cosines.round(4), strict=True))
    worded = [c for text, c in table.items() if len(text.split()) >= 2]
    assert min(worded) > 0.98 and cosines.mean() > 0.98, table
    assert cosines.min() > 0.95, table


@pytest.mark.slow
def test_a_batch_and_single_queries_agree_in_order(
    onnx_data: Path, onnx_fp32: OnnxEmbedder
) -> None:
    small_batches = OnnxEmbedder(_only_variant(onnx_data, "fp32"), onnx_fp32.tokenizer_dir, 3, 2)
    batch = small_batches.embed(TEXTS)
    singles = np.stack([onnx_fp32.embed_query(text) for text in TEXTS])
    assert np.allclose(batch, singles, atol=1e-5)
    assert np.allclose(onnx_fp32.embed(TEXTS), singles, atol=1e-5)
    assert onnx_fp32.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_a_second_build_reuses_the_export(
    onnx_data: Path, onnx_fp32: OnnxEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _only_variant(onnx_data, "fp32").stat().st_mtime_ns
    _forbid_export(monkeypatch)
    again = onnx_embedder(onnx_data)
    assert export_model(onnx_data, variant="int8").reused
    assert _only_variant(onnx_data, "fp32").stat().st_mtime_ns == before
    assert np.array_equal(again.embed(TEXTS[:3]), onnx_fp32.embed(TEXTS[:3]))


@pytest.mark.slow
def test_a_corrupted_int8_model_is_rebuilt_from_the_cached_fp32(
    copied_cache: Path, onnx_fp32: OnnxEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _only_variant(copied_cache, "int8")
    data = bytearray(model.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64
    model.write_bytes(bytes(data))
    monkeypatch.setattr(embeddings_onnx, "_export_fp32", lambda *a: pytest.fail("fp32 redone"))

    rebuilt = export_model(copied_cache, variant="int8")

    assert not rebuilt.reused
    meta = json.loads((model.parent / "meta.json").read_text())
    assert embeddings_onnx._file_sha256(model) == meta["sha256"]
    vectors = onnx_embedder(copied_cache, quantized=True).embed(TEXTS[:2])
    assert _cosines(vectors, onnx_fp32.embed(TEXTS[:2])).min() > 0.98


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncate", "delete meta"])
def test_a_damaged_fp32_export_is_exported_again(
    copied_cache: Path, onnx_data: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    model = _only_variant(copied_cache, "fp32")
    if damage == "truncate":
        model.write_bytes(model.read_bytes()[:1000])
    else:
        (model.parent / "meta.json").unlink()
    calls: list[Path] = []

    def fake_export(source: Path, target: Path, tokenizer: object) -> None:
        calls.append(target)
        shutil.copyfile(_only_variant(onnx_data, "fp32"), target)

    monkeypatch.setattr(embeddings_onnx, "_export_fp32", fake_export)
    result = export_model(copied_cache)
    assert len(calls) == 1 and not result.reused
    assert export_model(copied_cache).reused


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "kind"), [("onnx", OnnxEmbedder), ("onnx-int8", OnnxInt8Embedder)]
)
def test_the_setting_chooses_the_backend_and_the_guard_shares_it(
    onnx_data: Path, monkeypatch: pytest.MonkeyPatch, backend: str, kind: type
) -> None:
    _forbid_export(monkeypatch)
    monkeypatch.setenv("MES_EMBEDDING_BACKEND", backend)
    services = Services(Settings(data_dir=onnx_data))
    assert type(services.embedder) is kind
    assert services.guard.embedder is services.embedder


def test_pytorch_stays_the_default_and_unknown_backends_are_refused() -> None:
    assert Settings().embedding_backend == "torch"
    with pytest.raises(ValidationError):
        Settings(embedding_backend="tensorflow")


def test_a_model_folder_without_a_tokenizer_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    settings = Settings(
        data_dir=tmp_path / "data", embedding_model=folder, embedding_backend="onnx"
    )
    with pytest.raises(ExportError, match=r"no tokenizer\.json"):
        build_embedder(settings)


@pytest.mark.slow
def test_queries_need_no_pytorch(onnx_data: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from assistant.embeddings_onnx import onnx_embedder;"
        f"e = onnx_embedder(Path({str(onnx_data)!r})); e.embed_query('hip');"
        "print('torch' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.slow
def test_cli_export_reports_the_cache_and_errors_cleanly(
    onnx_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("MES_DATA_DIR", str(onnx_data))
    result = runner.invoke(app, ["models", "export", "--json"])
    assert result.exit_code == 0, result.output
    models = json.loads(result.stdout)["models"]
    assert [(m["variant"], m["reused"]) for m in models] == [("fp32", True), ("int8", True)]

    bad = runner.invoke(app, ["models", "export", "--variant", "fp16"])
    assert bad.exit_code == 2 and "error:" in bad.output and "Traceback" not in bad.output
    monkeypatch.setenv("MES_EMBEDDING_MODEL", str(tmp_path))
    missing = runner.invoke(app, ["models", "export"])
    assert missing.exit_code == 2 and "no config.json" in missing.output
