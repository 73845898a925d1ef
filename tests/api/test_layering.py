"""The edges stay thin: routers and CLI commands reach the cores only through `Services`.

Read from the source (AST), every import a router or command makes from `assistant.*` or
`guardrails.*` must be a schema (a pydantic model, a dataclass, a named tuple), an error type,
or `Services` itself; never a function or a component such as the drafting renderers, the tier
gap, the store or the guard. And `services.<component>` (db, guard, retriever, ...) is never
touched: the edges call Services' own methods, or its two sub-services `chat` and `uploads`.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import pydantic
import pytest

from assistant.services import Services

ROOT = Path(__file__).resolve().parents[2]
ROUTERS = sorted((ROOT / "api" / "routers").glob("*.py"))
COMMANDS = sorted((ROOT / "assistant" / "cli").glob("commands_*.py"))
CORES = ("assistant", "guardrails")
COMPONENTS = {"db", "guard", "retriever", "store", "store_opener", "embedder", "index_files"}
INSTANCE = {"settings"}  # set in Services.__init__, so not on the class
# Edge helpers, not components: the CLI's own modules, input checks and loaders, the settings,
# the output writer.
HELPERS = ("assistant.cli", "assistant.services", "assistant.limits", "assistant.access",
           "assistant.settings", "assistant.atomic", "assistant.models")  # fmt: skip

# Commands that measure or build a component itself, and what they may use for it.
TOOLING: dict[str, set[str]] = {
    # `mes-ai eval guard`, `guard --validate`: the guard's own evaluation and data.
    "commands_guard.py": {
        "guardrails",
        "guardrails.evaluation",
        "guardrails.dataset",
        "guardrails.model",
    },
    # `mes-ai eval retrieval`: recall and MRR of the retriever itself.
    "commands_search.py": {"assistant.evaluation", "services.retriever"},
    # `mes-ai models export`: writes the ONNX files the embedder loads.
    "commands_models.py": {"assistant.embeddings_onnx"},
    # `mes-ai chat`: a loop over Services.chat (its type), the tenant id checked by the store's rule.
    "commands_chat.py": {"assistant.chat", "assistant.storage.database"},
}


def _schema_or_error(value: object) -> bool:
    if not isinstance(value, type):
        return False
    return (
        issubclass(value, (Exception, pydantic.BaseModel))
        or dataclasses.is_dataclass(value)
        or (issubclass(value, tuple) and hasattr(value, "_fields"))
    )


def _problems(path: Path, allowed: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in CORES and alias.name not in allowed:
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if module.split(".")[0] not in CORES or module in allowed:
                continue
            if any(module == h or module.startswith(h + ".") for h in HELPERS):
                continue
            imported = importlib.import_module(module)
            for alias in node.names:
                value = getattr(imported, alias.name, None)
                if f"{module}.{alias.name}" in HELPERS or not callable(value):
                    continue  # a helper module, or a constant such as FORMATS
                if not _schema_or_error(value):
                    found.append(f"from {module} import {alias.name}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "services"
            and (
                node.attr in COMPONENTS
                or not (hasattr(Services, node.attr) or node.attr in INSTANCE)
            )
            and f"services.{node.attr}" not in allowed
        ):
            found.append(f"services.{node.attr} (line {node.lineno})")
    return found


@pytest.mark.parametrize("path", ROUTERS, ids=lambda p: p.name)
def test_a_router_imports_only_schemas_errors_and_services(path: Path) -> None:
    assert _problems(path, set()) == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: p.name)
def test_a_cli_command_goes_through_services(path: Path) -> None:
    assert _problems(path, TOOLING.get(path.name, set())) == []


def test_the_check_catches_a_router_that_calls_the_drafting_core(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from assistant.drafting import DraftError, draft\n"
        "from assistant.tiers import tier_gap\n"
        "def f(services):\n"
        "    return services.db.get_draft('t', 'x'), services.draft\n"
    )
    assert _problems(bad, set()) == [
        "from assistant.drafting import draft",
        "from assistant.tiers import tier_gap",
        "services.db (line 4)",
    ]
