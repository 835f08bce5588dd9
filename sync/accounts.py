"""Users cached on this computer: offline login, lockout, their wrapped keys.

An online login (the sync cycle's) calls ``remember_user`` with the
password that the server just accepted; from then on that person can log
in here offline, which also unwraps the database key where no OS keyring
exists. A supervisor gets an Ed25519 signing key for this device, kept in
the keyring and wrapped by their password.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import protocol
from sync.credentials import SCRYPT_N, SecretStore, check_verifier, make_verifier, unwrap, wrap
from sync.errors import ErrorCode, WorkspaceError
from sync.store.profile import Account, Profile, ProfileState

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
    """Cache ``user`` (just authenticated online) for offline login, and save the profile."""
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
        account = _keep_signing_key(profile, secrets, account, previous, password, kdf_n)

    def keep(state: ProfileState) -> Account:
        # The key derivations above took a while: a sync may have registered the key since.
        registered = _still_registered(state.accounts.get(user.username), account)
        kept = replace(account, signing_key_registered=registered)
        state.accounts[user.username] = kept
        return kept

    return profile.update(keep)


def _still_registered(current: Account | None, account: Account) -> bool:
    """Whether the server holds ``account``'s public key, as the cached ``current`` says."""
    return (
        account.signing_public_key is not None
        and current is not None
        and current.signing_key_registered
        and current.signing_public_key == account.signing_public_key
    )


def _keep_signing_key(
    profile: Profile,
    secrets: SecretStore,
    account: Account,
    previous: Account | None,
    password: str,
    kdf_n: int,
) -> Account:
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
    # A new key must reach the server (PUT /me/signing-key) before approvals verify;
    # whether this one did is settled under the profile's lock (remember_user).
    return replace(
        account,
        wrapped_signing_key=wrap(
            raw, password, purpose=_signing_purpose(profile, account.user_id), n=kdf_n
        ),
        signing_public_key=protocol.public_key_b64(key),
    )


def authenticate(profile: Profile, username: str, password: str, now: datetime) -> Account:
    """Check a cached user's password, counting failures in the saved profile.

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
    # scrypt takes a while: checked outside the profile's lock, counted on the account as it is.
    right = check_verifier(account.verifier, password)
    account = profile.update_account(username, lambda current: _counted(current, right, now))
    if right:
        return account
    if account.locked_until is not None:
        raise WorkspaceError(
            ErrorCode.ACCOUNT_LOCKED, "too many failed logins",
            retry_after_s=int(LOCKOUT.total_seconds()),
        )
    # The GUI warns on the last tries: it says how many are left before the lock.
    raise WorkspaceError(
        ErrorCode.INVALID_CREDENTIALS, "wrong password",
        tries_left=MAX_FAILED_LOGINS - account.failed_logins,
    )


def _counted(account: Account, right: bool, now: datetime) -> Account:
    """``account`` after one password check: a fresh count once a lock ran out."""
    failed, locked_until = account.failed_logins, account.locked_until
    if locked_until is not None and now >= protocol.parse_time(locked_until):
        failed, locked_until = 0, None
    if right:
        return replace(account, failed_logins=0, locked_until=None)
    failed += 1
    if failed >= MAX_FAILED_LOGINS:
        locked_until = protocol.format_time(now + LOCKOUT)
    return replace(account, failed_logins=failed, locked_until=locked_until)


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

