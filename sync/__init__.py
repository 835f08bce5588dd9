"""The Qt-free core of LAPOR Desk: the public face is ``Workspace``.

Imports are lazy so that ``import sync`` (and ``sync.protocol`` for the
server) pulls in no database or HTTP code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Workspace",
    "WorkspaceError",
    "ComplaintSummary",
    "ComplaintDetail",
    "ReplyInfo",
    "OutboxEntry",
    "SyncReport",
    "ReplyState",
    "DeadlineState",
]

_LAZY = {
    "Workspace": "sync.workspace",
    "WorkspaceError": "sync.errors",
    "ComplaintSummary": "sync.values",
    "ComplaintDetail": "sync.values",
    "ReplyInfo": "sync.values",
    "OutboxEntry": "sync.values",
    "SyncReport": "sync.values",
    "ReplyState": "sync.values",
    "DeadlineState": "sync.values",
}

if TYPE_CHECKING:
    from sync.errors import WorkspaceError
    from sync.values import (
        ComplaintDetail,
        ComplaintSummary,
        DeadlineState,
        OutboxEntry,
        ReplyInfo,
        ReplyState,
        SyncReport,
    )
    from sync.workspace import Workspace


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'sync' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
