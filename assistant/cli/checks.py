"""Checks the CLI makes before it loads anything: folders that exist, a port that is free."""

from __future__ import annotations

import socket

from assistant.settings import Settings


def folder_problem(settings: Settings) -> str | None:
    """Why MES_DATA_DIR or MES_KNOWLEDGE_DIR cannot be used, or None."""
    data = settings.data_dir
    if data.exists() and not data.is_dir():
        return f"MES_DATA_DIR {data} is a file, not a folder; point it at a folder"
    for parent in data.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"MES_DATA_DIR {data}: {parent} is a file, not a folder"
            break
    knowledge = settings.knowledge_dir
    if not knowledge.is_dir():
        what = "does not exist" if not knowledge.exists() else "is not a folder"
        return (
            f"MES_KNOWLEDGE_DIR {knowledge} {what}; unset it to use the packaged knowledge "
            "or point it at a folder with tiers.yaml, skills.yaml and measures.yaml"
        )
    return None


def port_problem(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on (in use, or not an address here), or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        return f"--host {host}: not an address this machine can listen on ({exc})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except PermissionError:
            return f"port {port} on {host} needs more privileges; use a port above 1023"
        except OSError as exc:
            return (
                f"port {port} on {host} is not available ({exc.strerror or exc}); "
                "stop the other server or choose another port with --port"
            )
    return None
