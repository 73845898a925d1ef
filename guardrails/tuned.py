"""The guard's classifier: the packaged MiniLM with its top layers fine-tuned on five categories.

The lower layers stay as shipped and run once per text; only the top layers and a linear head
learn. Training therefore passes every text through the lower layers once, keeps their token
states, and trains the top on those (about a third of the cost of tuning the whole model).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant import atomic
from guardrails.decision import Category

TUNED_FROM = 3
"""Layers below this index stay frozen; the ones from it up (3, 4 and 5 of MiniLM's 6) learn."""
EPOCHS = 3
LEARNING_RATE = 3e-4
HEAD_LEARNING_RATE = 2e-3
WARMUP_STEPS = 50
WEIGHT_DECAY = 0.01
BATCH = 32
SEED = 0
MAX_TOKENS = 256
POOL_SCALE = 10.0
"""The head reads the L2-normalised mean of the top layer's tokens, scaled by this."""
FAST_BF16_FLAGS = ("amx_bf16", "avx512_bf16")
"""CPU flags under which training reads and trains in bfloat16 (about twice as fast there);
elsewhere, and always for the validation split and at run time, in float32."""
Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as training goes."""


def no_progress(stage: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""
    return None


def fast_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this CPU computes bfloat16 natively (training then uses it)."""
    try:
        flags = set(cpuinfo.read_text(encoding="utf-8", errors="replace").split())
    except OSError:
        return False
    return any(flag in flags for flag in FAST_BF16_FLAGS)


def _precision(torch: Any, bf16: bool) -> Any:
    """Autocast to bfloat16 on the CPU when `bf16`, else a context that changes nothing."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)


def weights_digest(model_dir: Path) -> str:
    """SHA-256 of the base model's config, weights and tokenizer: part of the cache key."""
    digest = hashlib.sha256()
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "vocab.txt",
                 "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        path = model_dir / name
        if path.exists():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:20]


class Encoder:
    """The base model's tokenizer and frozen lower layers (loaded offline from a folder)."""

    def __init__(self, model_dir: Path, tuned_from: int = TUNED_FROM) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        if not (model_dir / "config.json").exists():
            raise FileNotFoundError(f"No transformer model in {model_dir}")
        self.model_dir = model_dir
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.bert: Any = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
        self.bert.eval()
        if getattr(self.bert.config, "model_type", "") != "bert":
            raise ValueError(f"the guard's model needs a BERT-like base model, not {model_dir}")
        self.tuned_from = tuned_from
        self.dimension = int(self.bert.config.hidden_size)
        self._torch = torch
        self._tokenize(["set the padding and truncation once, before any thread reads"])

    def _tokenize(self, texts: list[str]) -> Any:
        return self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )

    def lower(self, texts: Sequence[str]) -> tuple[Any, Any]:
        """Token states after the frozen lower layers, and the attention mask (float)."""
        encoded = self._tokenize([t.encode("utf-8", "replace").decode("utf-8") for t in texts])
        hidden = self.bert.embeddings(
            input_ids=encoded["input_ids"], token_type_ids=encoded.get("token_type_ids")
        )
        mask = encoded["attention_mask"].to(hidden.dtype)
        return _run_layers(self.bert.encoder.layer[: self.tuned_from], hidden, mask), mask

    def frozen_embedding(self, hidden: Any, mask: Any) -> NDArray[np.float32]:
        """The base model's own sentence embedding (its top layers as shipped, mean pooled,
        L2-normalised) from the lower layers' states."""
        top = _run_layers(self.bert.encoder.layer[self.tuned_from :], hidden, mask)
        return np.asarray(_pooled(top.float(), mask).numpy(), dtype=np.float32)

    def states(
        self,
        texts: Sequence[str],
        progress: Progress = no_progress,
        batch: int = 64,
        bf16: bool = False,
    ) -> tuple[list[NDArray[np.float16]], NDArray[np.float32]]:
        """Per text, its tokens' states after the frozen layers (float16, to keep them small),
        and the base model's sentence embeddings; computed in bfloat16 when `bf16`."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        found: list[NDArray[np.float16]] = [np.zeros((0, self.dimension), np.float16)] * len(texts)
        embeddings = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with self._torch.inference_mode(), _precision(self._torch, bf16):
            for start in range(0, len(order), batch):
                chosen = order[start : start + batch]
                hidden, mask = self.lower([texts[i] for i in chosen])
                embeddings[chosen] = self.frozen_embedding(hidden, mask)
                for row, index in enumerate(chosen):
                    length = int(mask[row].sum())
                    found[index] = hidden[row, :length].float().numpy().astype(np.float16)
                progress("reading the examples", min(start + batch, len(order)), len(order))
        return found, embeddings


def _run_layers(layers: Any, hidden: Any, mask: Any) -> Any:
    import torch

    additive = _additive_mask(torch, mask)
    for layer in layers:
        out = layer(hidden, attention_mask=additive)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def _pooled(hidden: Any, mask: Any) -> Any:
    """L2-normalised mean of the real tokens' states."""
    import torch

    weights = mask[..., None]
    pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
    return torch.nn.functional.normalize(pooled, dim=-1)


def _additive_mask(torch: Any, mask: Any) -> Any:
    """[batch, 1, 1, tokens]: 0 where a token is real, a large negative where it is padding."""
    return (1.0 - mask)[:, None, None, :] * torch.finfo(mask.dtype).min


def _top_module(encoder: Encoder, classes: int) -> Any:
    """A fresh copy of the base model's top layers and a linear head."""
    import torch

    class Top(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(
                copy.deepcopy(layer) for layer in encoder.bert.encoder.layer[encoder.tuned_from :]
            )
            self.head = torch.nn.Linear(encoder.dimension, classes)

        def forward(self, hidden: Any, mask: Any) -> Any:
            return self.head(_pooled(_run_layers(self.layers, hidden, mask), mask) * POOL_SCALE)

    return Top()


def _padded(torch: Any, states: Sequence[NDArray[np.float16]]) -> tuple[Any, Any]:
    length = max(1, max(len(s) for s in states))
    hidden = torch.zeros(len(states), length, states[0].shape[1] if states else 1)
    mask = torch.zeros(len(states), length)
    for row, state in enumerate(states):
        hidden[row, : len(state)] = torch.from_numpy(state.astype(np.float32))
        mask[row, : len(state)] = 1.0
    return hidden, mask


def _batches(
    rng: np.random.Generator, indices: NDArray[np.int64], lengths: Sequence[int]
) -> list[NDArray[np.int64]]:
    """Shuffled batches of similar length (sorted within runs of 50 batches)."""
    order = rng.permutation(indices)
    batches: list[NDArray[np.int64]] = []
    for start in range(0, len(order), BATCH * 50):
        run = sorted(order[start : start + BATCH * 50], key=lambda i: lengths[i])
        batches += [np.array(run[i : i + BATCH]) for i in range(0, len(run), BATCH)]
    rng.shuffle(batches)
    return batches


class TunedClassifier:
    """Calibrated category probabilities from the frozen lower layers and the tuned top."""

    def __init__(
        self,
        encoder: Encoder,
        top: Any,
        classes: Sequence[str],
        temperature: float = 1.0,
        allow_threshold: float = 0.5,
    ) -> None:
        self.encoder = encoder
        self.top = top
        self.top.eval()
        self.classes = tuple(Category(c) for c in classes)
        self.temperature = temperature
        """Logits are divided by this (fitted on the validation split) before the softmax."""
        self.allow_threshold = allow_threshold
        """Calibrated p(in_scope) a message needs to be answered."""

    @classmethod
    def fit(
        cls,
        encoder: Encoder,
        states: Sequence[NDArray[np.float16]],
        labels: Sequence[Category],
        progress: Progress = no_progress,
        bf16: bool = False,
    ) -> TunedClassifier:
        """Train the top layers and the head on the lower layers' `states` (the forward pass
        in bfloat16 when `bf16`; the weights and the optimiser stay float32)."""
        import torch

        classes = sorted({label.value for label in labels})
        if len(classes) < 2:
            raise ValueError("the guard's model needs examples of at least two categories")
        torch.manual_seed(SEED)
        top = _top_module(encoder, len(classes))
        target = np.array([classes.index(label.value) for label in labels])
        counts = np.bincount(target, minlength=len(classes)).astype(np.float64)
        weight = torch.tensor(len(target) / (len(classes) * np.maximum(counts, 1.0)),
                              dtype=torch.float32)
        optimiser = torch.optim.AdamW(
            [{"params": top.layers.parameters(), "lr": LEARNING_RATE},
             {"params": top.head.parameters(), "lr": HEAD_LEARNING_RATE}],
            weight_decay=WEIGHT_DECAY,
        )
        per_epoch = -(-len(target) // BATCH)
        total = per_epoch * EPOCHS
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda step: min(1.0, (step + 1) / WARMUP_STEPS) * max(0.0, 1 - step / total)
        )
        rng = np.random.default_rng(SEED)
        lengths = [len(s) for s in states]
        top.train()
        step = 0
        for _ in range(EPOCHS):
            for batch in _batches(rng, np.arange(len(target)), lengths):
                hidden, mask = _padded(torch, [states[i] for i in batch])
                with _precision(torch, bf16):
                    logits = top(hidden, mask)
                loss = torch.nn.functional.cross_entropy(
                    logits.float(), torch.from_numpy(target[batch]), weight=weight
                )
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                step += 1
                if step % 10 == 0 or step == total:
                    progress("training", step, total)
        return cls(encoder, top, classes)

    def logits_of_states(self, states: Sequence[NDArray[np.float16]]) -> NDArray[np.float64]:
        """Raw logits for texts whose lower-layer states are known (batched by length)."""
        import torch

        order = sorted(range(len(states)), key=lambda i: len(states[i]))
        logits = np.zeros((len(states), len(self.classes)))
        with torch.inference_mode():
            for start in range(0, len(order), 128):
                chosen = order[start : start + 128]
                hidden, mask = _padded(torch, [states[i] for i in chosen])
                logits[chosen] = self.top(hidden, mask).numpy()
        return logits

    def probabilities(self, hidden: Any, mask: Any) -> NDArray[np.float64]:
        """Calibrated probabilities (rows, in `classes` order) from the lower layers' states."""
        import torch

        with torch.inference_mode():
            logits = self.top(hidden, mask).numpy()
        return softmax(logits, self.temperature)

    def save(self, path: Path) -> None:
        """Classes and calibration (JSON) beside `path`, then the tuned weights (safetensors)
        at `path`, last."""
        from safetensors.torch import save

        meta = {
            "classes": [c.value for c in self.classes],
            "temperature": self.temperature,
            "allow_threshold": self.allow_threshold,
            "tuned_from": self.encoder.tuned_from,
        }
        atomic.write_bytes(path.with_suffix(".json"), json.dumps(meta, indent=2).encode("utf-8"))
        state = {k: v.detach().contiguous() for k, v in self.top.state_dict().items()}
        atomic.write_bytes(path, save(state))

    @classmethod
    def load(cls, path: Path, encoder: Encoder) -> TunedClassifier:
        """ValueError when the files are unreadable or do not fit the encoder."""
        from safetensors import SafetensorError
        from safetensors.torch import load

        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            classes = [str(c) for c in meta["classes"]]
            if int(meta["tuned_from"]) != encoder.tuned_from:
                raise ValueError("tuned from another layer")
            top = _top_module(encoder, len(classes))
            top.load_state_dict(load(path.read_bytes()))
            return cls(encoder, top, classes, float(meta["temperature"]),
                       float(meta["allow_threshold"]))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, SafetensorError) as exc:
            raise ValueError(f"unreadable guard model {path.name}: {exc}") from exc


def softmax(logits: NDArray[np.floating], temperature: float = 1.0) -> NDArray[np.float64]:
    """Softmax over the last axis of logits / temperature."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    exp = np.exp(scaled)
    result: NDArray[np.float64] = exp / exp.sum(axis=-1, keepdims=True)
    return result
