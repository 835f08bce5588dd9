from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from server.db import Complaint
from server.errors import forbidden, not_found
from server.feed import ensure_state, office_view, read_page
from server.routes.deps import CallerDep, ServicesDep, json_answer
from sync.protocol import DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, format_time

router = APIRouter(tags=["changes"])


@router.get("/offices/{office_id}/changes")
def changes(
    office_id: str,
    me: CallerDep,
    svc: ServicesDep,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = DEFAULT_PAGE_LIMIT,
) -> Response:
    if office_id != me.office_id:
        raise forbidden("you may only read your own office's feed")
    now = svc.settings.clock()
    svc.purger.maybe(now)
    with svc.db.reading() as session:
        state = ensure_state(session)
        position = None
        if cursor:
            position = svc.cursors.decode(cursor, office_id, now, state.purged_seq)
        page = read_page(session, office_id, position, limit, now)
    return json_answer({
        "items": page.items,
        "next_cursor": svc.cursors.encode(page.cursor),
        "has_more": page.has_more,
        "server_time": format_time(now),
    })


@router.get("/offices/{office_id}/digest")
def office_digest(office_id: str, me: CallerDep, svc: ServicesDep) -> dict[str, Any]:
    if office_id != me.office_id:
        raise forbidden("you may only check your own office")
    return svc.digests.digest(office_id)


@router.get("/offices/{office_id}/complaints/{complaint_id}")
def office_complaint(
    office_id: str, complaint_id: str, me: CallerDep, svc: ServicesDep
) -> dict[str, Any]:
    """One complaint as the office sees it now (1.1): a quarantined record is asked for again."""
    if office_id != me.office_id:
        raise forbidden("you may only read your own office's complaints")
    with svc.db.reading() as session:
        row = session.get(Complaint, complaint_id)
        # Another office's complaint is answered as absent: its id says nothing here.
        if row is None or row.office_id != office_id:
            raise not_found("complaint in this office")
        return {"complaint": office_view(row.data)}
