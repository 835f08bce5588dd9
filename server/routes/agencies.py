"""GET /agencies: where a report can be moved to (an addition to SYNC-API.md, docs/API-NOTES.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.agencies import agencies
from server.routes.deps import CallerDep, ServicesDep

router = APIRouter(tags=["agencies"])


@router.get("/agencies")
def list_agencies(caller: CallerDep, svc: ServicesDep) -> dict[str, Any]:
    """Any logged-in user; the same list for every office but its own entry."""
    with svc.db.reading() as session:
        return {"agencies": agencies(session, caller.office_id)}
