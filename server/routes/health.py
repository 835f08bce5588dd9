from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.routes.deps import ServicesDep
from sync.protocol import format_time

router = APIRouter(tags=["health"])


@router.get("/health")
def health(svc: ServicesDep) -> dict[str, Any]:
    """The client's connectivity probe; no login needed."""
    return {"status": "ok", "server_time": format_time(svc.settings.clock())}
