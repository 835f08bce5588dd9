"""Online login: the token pair, the cached user, the supervisor's signing key.

``Workspace.login`` asks ``log_in`` first; only when the server does
not answer does it fall back to the offline login of a cached user. The
server's word on a password is final: a refused password is never retried
offline. The plumbing (tokens, the authenticated transport, the key's
registration) is ``sync.connection``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sync import protocol
from sync.connection import (
    NetworkOptions,
    Tokens,
    connect,
    register_signing_key,
    request_tokens,
)
from sync.credentials import SecretStore
from sync.errors import ErrorCode, WorkspaceError
from sync.store.profile import Profile
from sync.transport import ApiError, TransportError
from sync.values import UserInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginInfo(UserInfo):
    """The user just logged in, and whether the server checked the password (online)."""

    online: bool = False

    @classmethod
    def of(cls, user: UserInfo, online: bool) -> LoginInfo:
        return cls(user.id, user.username, user.full_name, user.role, user.office_id, online)


class LoginTarget(Protocol):
    """The workspace logged into: what ``log_in`` needs of ``sync.workspace.Workspace``.

    Named here rather than imported, so that the login and the workspace do not
    import each other.
    """

    @property
    def profile(self) -> Profile: ...

    @property
    def locked(self) -> bool: ...

    def login_offline(self, username: str, password: str) -> UserInfo: ...

    def remember_user(self, user: protocol.User, password: str) -> UserInfo: ...


def log_in(
    workspace: LoginTarget,
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
    workspace.login_offline(pair.user.username, password)
    return True


def _register_key(
    workspace: LoginTarget,
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
    # A new device id (already saved): the key is wrapped for it afresh, a token issued for it.
    workspace.remember_user(user, password)
    pair = request_tokens(profile, user.username, password, options)
    if pair is None:
        return
    tokens.keep(pair)
    with connect(profile, tokens, options) as transport:
        register_signing_key(profile, profile.accounts[user.username], transport)
