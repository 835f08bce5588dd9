from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, StringConstraints

from server.ratelimit import client_address
from server.routes.deps import CallerDep, ServicesDep

router = APIRouter(tags=["auth"])

Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Secret = Annotated[str, StringConstraints(max_length=1000)]


class LoginBody(BaseModel):
    username: Short
    password: Secret
    device_id: Short
    device_name: Annotated[str, StringConstraints(max_length=200)] = ""


class RefreshBody(BaseModel):
    refresh_token: Secret


class SigningKeyBody(BaseModel):
    device_id: Short
    public_key: Annotated[str, StringConstraints(max_length=100)]


@router.post("/auth/token")
def token(body: LoginBody, request: Request, svc: ServicesDep) -> dict[str, Any]:
    address = client_address(request.scope)
    return svc.auth.login(body.username, body.password, body.device_id, body.device_name, address)


@router.post("/auth/refresh")
def refresh(body: RefreshBody, svc: ServicesDep) -> dict[str, Any]:
    return svc.auth.refresh(body.refresh_token)


@router.post("/auth/logout", status_code=204)
def logout(body: RefreshBody, svc: ServicesDep) -> Response:
    svc.auth.logout(body.refresh_token)
    return Response(status_code=204)


@router.put("/me/signing-key", status_code=204)
def signing_key(body: SigningKeyBody, me: CallerDep, svc: ServicesDep) -> Response:
    svc.auth.register_key(me, body.device_id, body.public_key)
    return Response(status_code=204)
