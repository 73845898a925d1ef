"""`mes-ai keys create|list|revoke`: API keys with a tenant, a role and allowed origins."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.access import AccessError, normalise_origin
from assistant.cli.app import app, fail, out, print_json, settings_of
from assistant.services import Services
from assistant.storage import ROLES, KeyInfo, StorageError

keys_app = typer.Typer(help="Manage API keys: tenants, roles, origins.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _row(key: KeyInfo) -> dict[str, object]:
    return {
        "id": key.id,
        "tenant": key.tenant,
        "role": key.role,
        "prefix": key.prefix,
        "origins": key.origins,
        "rate_limit_per_min": key.rate_limit_per_min,
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@keys_app.command("create")
def create(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id, e.g. valley-clinic.")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")],
    origin: Annotated[
        list[str] | None,
        typer.Option("--origin", help="Allowed browser origin (repeat); required for widget."),
    ] = None,
    rate: Annotated[int, typer.Option("--rate", help="Requests a minute for this key.")] = 60,
    as_json: Annotated[bool, typer.Option("--json", help="Print the key as JSON.")] = False,
) -> None:
    """Create a key and print its secret once (only a hash is stored)."""
    if role not in ROLES:
        fail(f"--role must be one of {', '.join(ROLES)}")
    try:
        origins = [normalise_origin(o) for o in origin or []]
    except AccessError as exc:
        fail(str(exc))
    if role == "widget" and not origins:
        fail("a widget key needs at least one --origin (the site that embeds the widget)")
    try:
        info, secret = Services(settings_of(ctx)).create_key(tenant, role, origins, rate)
    except StorageError as exc:
        fail(str(exc))
    if as_json:
        print_json({**_row(info), "secret": secret})
        return
    out.print(f"key {info.id}  tenant {info.tenant}  role {info.role}  {rate}/min")
    if origins:
        out.print("origins: " + ", ".join(origins))
    out.print(f"secret (shown once, store it now): {secret}")


@keys_app.command("list")
def list_keys(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List keys (prefix only; secrets are never shown again)."""
    keys = Services(settings_of(ctx)).list_keys(tenant)
    if as_json:
        for key in keys:
            print_json(_row(key))
        return
    if not keys:
        out.print("no keys: the server runs in local mode (loopback only)")
        return
    out.print("id                                tenant / role / prefix / rate / state / origins")
    for key in keys:
        state = "revoked" if key.revoked_at else "active"
        origins = ", ".join(key.origins) or "-"
        out.print(
            f"{key.id}  {key.tenant}  {key.role}  {key.prefix}…  "
            f"{key.rate_limit_per_min}/min  {state}  {origins}"
        )


@keys_app.command("revoke")
def revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key id from `mes-ai keys list`.")],
) -> None:
    """Revoke a key; requests with it are refused from then on."""
    if not Services(settings_of(ctx)).revoke_key(key_id):
        fail(f"no active key with id {key_id!r}")
    out.print(f"revoked {key_id}")
