"""Users cached on this computer: offline login, lockout, their wrapped keys.

An online login (the sync engine's) calls ``remember_user`` with the
password that the server just accepted; from then on that person can log
in here offline, which also unwraps the database key where no OS keyring
exists. A supervisor gets an Ed25519 signing key for this device, kept in
the keyring and wrapped by their password.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import protocol
from sync.credentials import SCRYPT_N, SecretStore, check_verifier, make_verifier, unwrap, wrap
from sync.errors import ErrorCode, WorkspaceError
from sync.store.profile import Account, Profile

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)


def db_key_name(profile: Profile) -> str:
    return f"{profile.profile_id}/db-key"


def signing_key_name(profile: Profile, user_id: str) -> str:
    return f"{profile.profile_id}/signing-key/{user_id}"


def _db_key_purpose(profile: Profile) -> str:
    return f"lapor-desk db-key {profile.profile_id}"


def _signing_purpose(profile: Profile, user_id: str) -> str:
    return f"lapor-desk signing-key {profile.profile_id} {profile.device_id} {user_id}"


def remember_user(
    profile: Profile,
    secrets: SecretStore,
    user: protocol.User,
    password: str,
    db_key: bytes,
    *,
    kdf_n: int = SCRYPT_N,
) -> Account:
    """Cache ``user`` (just authenticated online) for offline login; caller saves the profile."""
    previous = profile.accounts.get(user.username)
    account = Account(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        office_id=user.office_id,
        verifier=make_verifier(password, n=kdf_n),
        wrapped_db_key=wrap(db_key, password, purpose=_db_key_purpose(profile), n=kdf_n),
    )
    if user.role == "supervisor":
        _keep_signing_key(profile, secrets, account, previous, password, kdf_n)
    profile.accounts[user.username] = account
    return account


def _keep_signing_key(
    profile: Profile,
    secrets: SecretStore,
    account: Account,
    previous: Account | None,
    password: str,
    kdf_n: int,
) -> None:
    """Reuse this device's key where the password opens it, else make one (to be registered).

    The key lives only sealed under the supervisor's password, never in the
    keyring: anyone who runs a program as the same OS user (a colleague on
    a shared Windows account) can read the keyring, and would sign as the
    supervisor. Nor is it reused on a server's word alone: a server that
    accepts any password (one an officer set up herself) must not hand her
    the supervisor's registered key. A changed password means a new key.
    """
    key: Ed25519PrivateKey | None = None
    if previous is not None and previous.wrapped_signing_key is not None:
        try:
            key = open_signing_key(profile, previous, password)
        except WorkspaceError:
            key = None  # another password than the one that sealed it: a new key
    if key is None:
        key = Ed25519PrivateKey.generate()
    raw = key.private_bytes_raw()
    secrets.delete(signing_key_name(profile, account.user_id))  # a copy older versions kept
    account.wrapped_signing_key = wrap(
        raw, password, purpose=_signing_purpose(profile, account.user_id), n=kdf_n
    )
    account.signing_public_key = protocol.public_key_b64(key)
    # A new key must reach the server (PUT /me/signing-key) before approvals verify.
    account.signing_key_registered = (
        previous is not None
        and previous.signing_key_registered
        and previous.signing_public_key == account.signing_public_key
    )


def authenticate(profile: Profile, username: str, password: str, now: datetime) -> Account:
    """Check a cached user's password, counting failures; caller saves the profile.

    Five failures lock the name here for five minutes, like the server does
    for its own (ten in fifteen): a shared PC must not be a guessing machine.
    """
    account = profile.accounts.get(username)
    if account is None:
        raise WorkspaceError(ErrorCode.INVALID_CREDENTIALS, "no cached user by that name")
    if account.locked_until is not None:
        until = protocol.parse_time(account.locked_until)
        if now < until:
            raise WorkspaceError(
                ErrorCode.ACCOUNT_LOCKED, "too many failed logins",
                retry_after_s=int((until - now).total_seconds()) + 1,
            )
        account.locked_until = None
        account.failed_logins = 0
    if not check_verifier(account.verifier, password):
        account.failed_logins += 1
        if account.failed_logins >= MAX_FAILED_LOGINS:
            account.locked_until = protocol.format_time(now + LOCKOUT)
            raise WorkspaceError(
                ErrorCode.ACCOUNT_LOCKED, "too many failed logins",
                retry_after_s=int(LOCKOUT.total_seconds()),
            )
        # The GUI warns on the last tries: it says how many are left before the lock.
        raise WorkspaceError(
            ErrorCode.INVALID_CREDENTIALS, "wrong password",
            tries_left=MAX_FAILED_LOGINS - account.failed_logins,
        )
    account.failed_logins = 0
    return account


def open_db_key(profile: Profile, account: Account, password: str) -> bytes:
    return unwrap(account.wrapped_db_key, password, purpose=_db_key_purpose(profile))


def open_signing_key(profile: Profile, account: Account, password: str) -> Ed25519PrivateKey:
    """The supervisor's key for this device, unwrapped with their password."""
    if account.wrapped_signing_key is None:
        raise WorkspaceError(ErrorCode.INVALID_CREDENTIALS, "no signing key on this device")
    raw = unwrap(
        account.wrapped_signing_key, password, purpose=_signing_purpose(profile, account.user_id)
    )
    return Ed25519PrivateKey.from_private_bytes(raw)

