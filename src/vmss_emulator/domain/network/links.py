"""Back-reference indexes: small child records that say "X uses Y", listed through the parent index.

Azure shows many reverse references (a subnet's `ipConfigurations`, a pool's `backendIPConfigurations`,
an NSG's `networkInterfaces`) and refuses to delete what is in use. Keeping those lists inside the
referenced document would rewrite a growing document on every VM added (quadratic for a 1000-VM scale
set); instead each reference is its own record whose `parent_key` is the referenced id (which need not
be a stored record: pools and subnets live inside their parent's document). Listing is one indexed
query; adding or removing is one row. The records carry a `parent_key`, so ARM's resource listing
never shows them, and the referencing resource group's `scope_key`, so deleting that group drops them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.store import Record

LINK_NAMESPACE = "Microsoft.Network/links"


def _type(kind: str) -> str:
    return f"{LINK_NAMESPACE}.{kind}"


def member_name(member_id: str) -> str:
    """A stable, slash-free record name for a member identified by a resource id."""
    return hashlib.sha1(member_id.lower().encode()).hexdigest()[:24]


def link_key(target_id: str, kind: str, name: str) -> str:
    return f"{target_id}/{kind}/{name}".lower()


def add(ctx: Context, target_id: str, kind: str, name: str, body: dict[str, Any], scope_key: str) -> None:
    now = ctx.now()
    ctx.store.put(
        Record(
            id=f"{target_id}/{kind}/{name}",
            type=_type(kind),
            body=body,
            scope_key=scope_key,
            parent_key=target_id.lower(),
            created_at=now,
            changed_at=now,
        )
    )


def add_member(ctx: Context, target_id: str, kind: str, member_id: str, scope_key: str) -> None:
    add(ctx, target_id, kind, member_name(member_id), {"id": member_id}, scope_key)


def remove(ctx: Context, target_id: str, kind: str, name: str) -> None:
    ctx.store.delete(link_key(target_id, kind, name))


def remove_member(ctx: Context, target_id: str, kind: str, member_id: str) -> None:
    remove(ctx, target_id, kind, member_name(member_id))


def get(ctx: Context, target_id: str, kind: str, name: str) -> Record | None:
    return ctx.store.get(link_key(target_id, kind, name))


def list_links(ctx: Context, target_id: str, kind: str) -> list[Record]:
    return ctx.store.list_children(target_id.lower(), _type(kind))


def member_ids(ctx: Context, target_id: str, kind: str) -> list[str]:
    return [str(r.body["id"]) for r in list_links(ctx, target_id, kind)]


def refs(ctx: Context, target_id: str, kind: str) -> list[dict[str, str]]:
    return [{"id": member} for member in member_ids(ctx, target_id, kind)]


def first_member(ctx: Context, target_id: str, kind: str) -> str | None:
    found = list_links(ctx, target_id, kind)
    return str(found[0].body["id"]) if found else None
