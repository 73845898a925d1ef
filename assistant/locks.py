"""Exclusive locks between processes sharing a data dir: `flock` on a lock file, released by
the kernel if the holder dies."""

from __future__ import annotations

import errno
import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL})
"""flock errors of a file system that cannot lock (some NFS, CIFS and FUSE mounts)."""


@contextmanager
def exclusive(
    path: Path,
    on_wait: Callable[[], None] | None = None,
    unlocked_if_unsupported: bool = False,
) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing). `on_wait` is called once if
    another process holds it; `unlocked_if_unsupported` runs the body without the lock on a
    file system that cannot lock, instead of raising."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError as exc:
            if not unlocked_if_unsupported or exc.errno not in NO_LOCKS:
                raise
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
