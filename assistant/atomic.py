"""Atomic file writes: a temp file in the same folder, fsync, then os.replace.

`write_output` is the one writer for files a user names (CLI `-o`, `skills import`, batch
outputs): it writes regular files only, follows a symlink to its regular-file target (the link
stays a link), and refuses folders, devices, FIFOs and sockets with an `OutputError`.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


class OutputError(ValueError):
    """A file cannot be written where the user asked; the message says why."""


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, payload: Any) -> None:
    write_text(path, json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True))


def _new_file_mode() -> int:
    """What `open()` would give a new file: 0o666 less the process umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def output_target(path: Path) -> Path:
    """Where a write to `path` lands: the path itself, or a symlink's final target.

    Raises OutputError for a folder, a device, a FIFO or a socket, or a parent that is a file.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot inspect it ({exc.strerror or exc})") from exc
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{path}: is a folder; give a file name (e.g. {path}/draft.md)")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(
                f"{path}: not a regular file (a device, FIFO or socket); write to a file instead"
            )
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{path}: {parent} is a file, not a folder")
            break
    return target


def write_output(path: Path, data: bytes) -> Path:
    """Atomically write a user-named output file (see the module docstring); returns the target.

    An existing file keeps its permission bits.
    """
    target = output_target(path)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    try:
        write_bytes(target, data, mode)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return target
