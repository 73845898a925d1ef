"""Read commands on a folder with no index say so, and create nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MES_AI = str(Path(sys.executable).with_name("mes-ai"))


@pytest.mark.slow
def test_search_elsewhere_says_the_index_is_empty_and_how_to_build_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MES_")}
    result = subprocess.run(
        [MES_AI, "search", "red flags"], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr
    assert "empty" in result.stderr and "mes-ai ingest" in result.stderr
    assert list(tmp_path.iterdir()) == []
