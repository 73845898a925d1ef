"""The one writer for files a user names: modes of new and replaced files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assistant.atomic import write_output


def test_a_new_output_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        target = write_output(tmp_path / "draft.md", b"# Session log\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"# Session log\n"


def test_a_replaced_output_file_keeps_its_mode(tmp_path: Path) -> None:
    existing = tmp_path / "draft.md"
    existing.write_bytes(b"old")
    existing.chmod(0o600)
    write_output(existing, b"new")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert existing.read_bytes() == b"new"
