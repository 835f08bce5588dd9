"""Online login: the token pair, the cached user, the supervisor's signing key.

``Workspace.login`` asks ``login_online`` first; only when the server does
not answer does it fall back to the offline login of a cached user. The
server's word on a password is final: a refused password is never retried
offline.

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
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pydantic

from sync import protocol
from sync.credentials import SecretStore
from sync.errors import ErrorCode, WorkspaceError
from sync.http.retry import Backoff
from sync.quarantine import validation_reason
from sync.store.profile import Account, Profile
from sync.transport import ApiError, OfflineError, Transport, TransportError
from sync.values import UserInfo

if TYPE_CHECKING:
    from sync.workspace import Workspace

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


@dataclass(frozen=True)
class LoginInfo(UserInfo):
    """The user just logged in, and whether the server checked the password (online)."""

    online: bool = False

    @classmethod
    def of(cls, user: UserInfo, online: bool) -> LoginInfo:
        return cls(user.id, user.username, user.full_name, user.role, user.office_id, online)


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
    contract asks; the caller saves the profile and logs in again there.
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
        profile.device_id = str(uuid.uuid4())
        for other in profile.accounts.values():
            other.signing_key_registered = False  # registered under the old device id
        log.warning("this device's signing key differs from the server's: new device id")
        return KeyRegistration(registered=False, new_device=True)
    account.signing_key_registered = True
    return KeyRegistration(registered=True)


def log_in(
    workspace: Workspace,
    secrets: SecretStore,
    username: str,
    password: str,
    options: NetworkOptions,
) -> bool:
    """Log in online where the server answers, else offline; True when online.

    Online, the server's user is cached with a password verifier (for
    offline logins later), the token pair is kept in the secret store, and a
    supervisor's signing key is registered (or retried at the next sync).
    """
    profile = workspace.profile
    if not profile.server_url:
        workspace.login_offline(username, password)  # a profile that knows no server yet
        return False
    try:
        pair = request_tokens(profile, username, password, options)
    except ApiError as exc:  # the server has spoken: its code, as the core's error
        raise WorkspaceError(
            ErrorCode.parse(exc.code), exc.message or str(exc), **exc.details
        ) from exc
    except TransportError as exc:  # TLS, a refused URL: never fall back silently
        raise WorkspaceError(ErrorCode.TRANSPORT_ERROR, str(exc)) from exc
    if pair is None:
        if username not in profile.accounts:
            # Nobody by that name ever logged in here: only the server could say
            # whether the password is right, so "wrong password" would mislead.
            raise WorkspaceError(
                ErrorCode.OFFLINE, "the server did not answer; a first login needs it"
            )
        workspace.login_offline(username, password)
        return False
    if pair.user.username.casefold() != username.strip().casefold():
        # Caching it would give this password another person's name (and rights) here.
        raise WorkspaceError(ErrorCode.TRANSPORT_ERROR, "the server answered for another user")
    if workspace.locked:
        try:
            workspace.login_offline(username, password)  # unwraps the cached database key
        except WorkspaceError as exc:
            raise WorkspaceError(
                ErrorCode.LOCKED_PROFILE,
                "this profile opens only with the password of someone who used it here before",
            ) from exc
    workspace.remember_user(pair.user, password)
    tokens = Tokens(secrets, profile, pair.user.id)
    tokens.keep(pair)
    try:
        _register_key(workspace, tokens, pair.user, password, options)
    except TransportError as exc:
        log.info("signing key not registered yet (%s); the next sync tries again", exc)
    profile.save()
    workspace.login_offline(pair.user.username, password)
    return True


def _register_key(
    workspace: Workspace,
    tokens: Tokens,
    user: protocol.User,
    password: str,
    options: NetworkOptions,
) -> None:
    profile = workspace.profile
    with connect(profile, tokens, options) as transport:
        outcome = register_signing_key(profile, profile.accounts[user.username], transport)
    if not outcome.new_device:
        return
    # A new device id: the key is wrapped for it afresh and a token issued for it.
    profile.save()
    workspace.remember_user(user, password)
    pair = request_tokens(profile, user.username, password, options)
    if pair is None:
        return
    tokens.keep(pair)
    with connect(profile, tokens, options) as transport:
        register_signing_key(profile, profile.accounts[user.username], transport)
