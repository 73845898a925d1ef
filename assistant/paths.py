"""Where the packaged data lives (found from the package, not the working directory)."""

from __future__ import annotations

from pathlib import Path

import knowledge
import prompts

KNOWLEDGE_DIR = Path(knowledge.__file__).resolve().parent
PROMPTS_DIR = Path(prompts.__file__).resolve().parent
