"""How this PC reaches the server as a user: network options, tokens, an authenticated transport.

``NetworkOptions`` say how the client talks to the server (retries, stall
timeouts, TLS, proxy); ``connect`` gives a ``Transport`` that sends a user's
access token and refreshes it once when it expired; ``request_tokens`` asks
for a pair with a password; ``register_signing_key`` gives the server a
supervisor's public key. The login (``Workspace.login``), the sync cycle, the
file uploads and the agency list all reach the server through here.

Token pairs live in the profile's ``SecretStore`` (the OS keyring, or this
process's memory where there is none), one pair per user, never on disk in
plaintext. A refresh token is spent once; when the server refuses it
(``invalid_token``) the pair is forgotten and the user must log in again,
while offline work goes on.
"""

from __future__ import annotations

import json
import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pydantic

from sync import protocol
from sync.credentials import SecretStore
from sync.errors import ErrorCode
from sync.http.retry import Backoff
from sync.quarantine import validation_reason
from sync.store.profile import Account, Profile
from sync.transport import ApiError, OfflineError, Transport, TransportError

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class NetworkOptions:
    """How the client talks to the server; tests shorten the waits."""

    max_attempts: int = 5
    backoff: Backoff = field(default_factory=Backoff)
    stall_timeout: float = protocol.STALL_TIMEOUT_S
    ca_bundle: str | None = None
    proxy: str | None = None
    # A login waits on a person: give up sooner than a background sync.
    login_attempts: int = 1
    login_backoff: Backoff = field(default_factory=lambda: Backoff(base=0.5, cap=2.0))

    def transport(
        self,
        server_url: str,
        *,
        for_login: bool = False,
        token_provider: Callable[[], str | None] | None = None,
        refresh: Callable[[], None] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> Transport:
        return Transport(
            server_url,
            token_provider=token_provider,
            refresh=refresh,
            sleep=sleep,
            ca_bundle=self.ca_bundle,
            proxy=self.proxy,
            stall_timeout=self.stall_timeout,
            max_attempts=self.login_attempts if for_login else self.max_attempts,
            backoff=self.login_backoff if for_login else self.backoff,
        )


class LoginRequired(TransportError):
    """The stored tokens were refused: only a password login helps now."""


def tokens_name(profile: Profile, user_id: str) -> str:
    return f"{profile.profile_id}/tokens/{user_id}"


class Tokens:
    """One user's token pair on this profile, in the secret store."""

    def __init__(self, secrets: SecretStore, profile: Profile, user_id: str) -> None:
        self._secrets = secrets
        self._name = tokens_name(profile, user_id)

    def _pair(self) -> dict[str, Any] | None:
        stored = self._secrets.get(self._name)
        if stored is None:
            return None
        try:
            pair = json.loads(stored)
        except ValueError:
            return None
        return pair if isinstance(pair, dict) else None

    @property
    def present(self) -> bool:
        return self._pair() is not None

    def access(self) -> str | None:
        pair = self._pair()
        return str(pair["access"]) if pair else None

    def keep(self, pair: protocol.TokenPair) -> None:
        self._secrets.set(
            self._name, json.dumps({"access": pair.access_token, "refresh": pair.refresh_token})
        )

    def forget(self) -> None:
        self._secrets.delete(self._name)

    def refresh(self, transport: Transport) -> None:
        """Trade the refresh token for a new pair (``Transport``'s refresh callback).

        Never repeated blindly: a refresh token presented twice revokes the
        whole family. A lost answer therefore ends in ``LoginRequired`` later.
        """
        pair = self._pair()
        if pair is None:
            raise LoginRequired("no refresh token: log in again")
        try:
            body = transport.post_json(
                "/auth/refresh", {"refresh_token": pair["refresh"]}, auth=False
            )
        except ApiError as exc:
            if exc.status in (400, 401, 403, 422):
                self.forget()
                raise LoginRequired(f"the server refused the refresh token: {exc.code}") from exc
            raise
        self.keep(_token_pair(body))


def _token_pair(body: Any) -> protocol.TokenPair:
    try:
        return protocol.TokenPair.model_validate(body)
    except pydantic.ValidationError as exc:
        # Not str(exc): pydantic would quote the values, tokens included.
        raise TransportError(
            f"the server's token answer is malformed: {validation_reason(exc)}"
        ) from exc


def connect(
    profile: Profile,
    tokens: Tokens,
    options: NetworkOptions,
    sleep: Callable[[float], None] | None = None,
) -> Transport:
    """A transport that sends this user's access token and refreshes it once when it expired.

    ``sleep`` waits out a retry's backoff (the cycle's says so in its progress first).
    """
    transport: Transport

    def refresh() -> None:
        tokens.refresh(transport)

    transport = options.transport(
        profile.server_url, token_provider=tokens.access, refresh=refresh, sleep=sleep
    )
    return transport


def request_tokens(
    profile: Profile, username: str, password: str, options: NetworkOptions
) -> protocol.TokenPair | None:
    """POST /auth/token; None when the server cannot be reached.

    ``ApiError`` (invalid_credentials, account_locked...) goes to the caller:
    the server has spoken.
    """
    body = {
        "username": username,
        "password": password,
        "device_id": profile.device_id,
        "device_name": platform.node()[:200],
    }
    try:
        with options.transport(profile.server_url, for_login=True) as transport:
            answer = transport.post_json("/auth/token", body, auth=False)
    except OfflineError as exc:
        log.info("login: the server did not answer (%s); trying offline", exc)
        return None
    return _token_pair(answer)


@dataclass(frozen=True)
class KeyRegistration:
    registered: bool
    new_device: bool = False  # the server holds another key for this device: new device id


def register_signing_key(
    profile: Profile, account: Account, transport: Transport
) -> KeyRegistration:
    """PUT /me/signing-key for a supervisor whose key this server has not taken yet.

    On 409 ``key_exists`` (this device id carries another key on the server,
    e.g. the keyring was lost) the profile moves to a new device id, as the
    contract asks (saved at once); the caller logs in again there.
    """
    if account.role != "supervisor" or account.signing_public_key is None:
        return KeyRegistration(registered=True)
    if account.signing_key_registered:
        return KeyRegistration(registered=True)
    try:
        transport.put_json(
            "/me/signing-key",
            {"device_id": profile.device_id, "public_key": account.signing_public_key},
        )
    except ApiError as exc:
        if exc.code != ErrorCode.KEY_EXISTS:
            raise
        profile.move_to_new_device()
        log.warning("this device's signing key differs from the server's: new device id")
        return KeyRegistration(registered=False, new_device=True)
    sent = account.signing_public_key
    profile.update_account(account.username, lambda current: _registered(current, sent))
    return KeyRegistration(registered=True)


def _registered(current: Account, sent: str | None) -> Account:
    """``current`` with its key registered, unless a login made another key meanwhile."""
    if current.signing_public_key != sent:
        return current
    return replace(current, signing_key_registered=True)
