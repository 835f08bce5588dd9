from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, StringConstraints

from server.errors import too_large, validation
from server.routes.deps import CallerDep, ServicesDep, json_answer
from sync.protocol import MAX_MUTATIONS_PER_REQUEST

router = APIRouter(tags=["mutations"])


class MutationsBody(BaseModel):
    device_id: Annotated[str, StringConstraints(max_length=200)] = ""
    # Each mutation is judged on its own, so a malformed one is a result, not a 422.
    mutations: list[dict[str, Any]]


@router.post("/mutations")
def push(body: MutationsBody, me: CallerDep, svc: ServicesDep) -> Response:
    if len(body.mutations) > MAX_MUTATIONS_PER_REQUEST:
        raise too_large(f"at most {MAX_MUTATIONS_PER_REQUEST} mutations a request")
    bad = [
        f"mutations.{i}.id"
        for i, m in enumerate(body.mutations)
        if not isinstance(m.get("id"), str) or not m["id"] or len(m["id"]) > 200
    ]
    if bad:
        raise validation("every mutation needs a string id", dict.fromkeys(bad, "required"))
    return json_answer({"results": svc.mutations.apply_all(me, body.mutations)})
