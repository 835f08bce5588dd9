"""Logins, rotating refresh tokens, lockout, and who is calling.

Tokens are random strings; only their SHA-256 is stored. A login starts a
token family; each refresh spends one refresh token and issues the next; a
spent one presented again revokes the whole family (it was stolen, or an
answer was lost, and the password decides).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from server.config import Settings
from server.counters import Counters
from server.db import (
    AccessToken,
    Database,
    RefreshToken,
    SigningKey,
    TokenFamily,
    User,
    rows_changed,
)
from server.errors import ApiError, validation
from server.lockout import LoginGuard
from server.passwords import DUMMY_HASH, verify_password
from sync.protocol import ErrorCode, load_public_key


@dataclass(frozen=True)
class Caller:
    user_id: str
    username: str
    full_name: str
    role: str
    office_id: str
    device_id: str

    def actor(self) -> dict[str, str]:
        return {"id": self.user_id, "name": self.full_name, "role": self.role}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid_credentials() -> ApiError:
    return ApiError(401, ErrorCode.INVALID_CREDENTIALS, "wrong username or password")


def _invalid_token() -> ApiError:
    return ApiError(401, ErrorCode.INVALID_TOKEN, "token unknown or revoked: log in again")


class Auth:
    def __init__(self, db: Database, settings: Settings, guard: LoginGuard | None = None) -> None:
        self.db = db
        self.settings = settings
        self.guard = guard or LoginGuard(db, Counters(db), settings.lockout)

    # --- login ---------------------------------------------------------------

    def login(
        self, username: str, password: str, device_id: str, device_name: str, address: str
    ) -> dict[str, Any]:
        """Tokens for a right password; ``address`` is the client's (``server.clientaddress``)."""
        now = self.settings.clock()
        known_since = now - timedelta(seconds=self.settings.lockout.known_for_s)
        with self.db.reading() as session:
            user = session.scalars(select(User).where(User.username == username)).first()
            stored = user.password_hash if user is not None else DUMMY_HASH
            # A device this user logged in on before (device ids are random uuids).
            known_device = user is not None and session.scalar(
                select(TokenFamily.id).where(
                    TokenFamily.user_id == user.id,
                    TokenFamily.device_id == device_id,
                    TokenFamily.created_at > known_since,
                ).limit(1)
            ) is not None
        with self.db.writing() as session:
            self.guard.admit(session, username, address, known_device, now)
        # Hash outside any transaction: scrypt is slow on purpose.
        good = verify_password(password, stored) and user is not None and user.active
        self.guard.maybe_sweep(now)
        if not good or user is None:
            raise _invalid_credentials()  # admit() already counted it
        with self.db.writing() as session:
            self.guard.succeeded(session, username, address, now)
            session.execute(
                delete(AccessToken).where(AccessToken.expires_at < now - timedelta(days=1))
            )
            family = TokenFamily(
                id=uuid.uuid4().hex,
                user_id=user.id,
                device_id=device_id,
                device_name=device_name,
                created_at=now,
                revoked_at=None,
            )
            session.add(family)
            session.flush()  # the tokens refer to it
            return self._issue(session, family, user, now)

    def _issue(
        self, session: Session, family: TokenFamily, user: User, now: datetime
    ) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        ttl = self.settings.access_token_ttl_s
        session.add(
            AccessToken(
                token_hash=token_hash(access),
                family_id=family.id,
                expires_at=now + timedelta(seconds=ttl),
            )
        )
        session.add(
            RefreshToken(
                token_hash=token_hash(refresh),
                family_id=family.id,
                expires_at=now + timedelta(seconds=self.settings.refresh_token_ttl_s),
                spent_at=None,
            )
        )
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": ttl,
            "user": user.wire(),
        }

    # --- refresh and logout ----------------------------------------------------

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        now = self.settings.clock()
        with self.db.writing() as session:
            row = session.get(RefreshToken, token_hash(refresh_token))
            family = session.get(TokenFamily, row.family_id) if row is not None else None
            if row is None or family is None or family.revoked_at is not None:
                raise _invalid_token()
            user = session.get(User, family.user_id)
            spent = rows_changed(
                session,
                update(RefreshToken)
                .where(RefreshToken.token_hash == row.token_hash, RefreshToken.spent_at.is_(None))
                .values(spent_at=now),
            )
            if spent == 1 and row.expires_at > now and user is not None and user.active:
                # The access token this refresh replaces ends now (token_expired from here on).
                session.execute(
                    update(AccessToken)
                    .where(AccessToken.family_id == family.id, AccessToken.expires_at > now)
                    .values(expires_at=now)
                )
                return self._issue(session, family, user, now)
            if spent == 0 or user is None or not user.active:
                # A spent token came back, or the user is deactivated: revoke them all.
                family.revoked_at = now
        raise _invalid_token()

    def logout(self, refresh_token: str) -> None:
        now = self.settings.clock()
        with self.db.writing() as session:
            row = session.get(RefreshToken, token_hash(refresh_token))
            family = session.get(TokenFamily, row.family_id) if row is not None else None
            if family is not None and family.revoked_at is None:
                family.revoked_at = now

    def set_active(self, user_id: str, active: bool) -> None:
        """Deactivate or reactivate a user; every login made before a deactivation stays dead."""
        with self.db.writing() as session:
            user = session.get(User, user_id)
            if user is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no such user")
            user.active = active
            if not active:
                _revoke_all(session, user_id, self.settings.clock())

    # --- who is calling ----------------------------------------------------------

    def caller(self, bearer: str) -> Caller:
        # Columns, not entities, in one statement: this runs on every request.
        with self.db.single.connect() as conn:
            found = conn.execute(caller_query(token_hash(bearer))).first()
        return self.judge(found)

    def judge(self, found: Any) -> Caller:
        """The caller from a row of ``caller_query`` (None: no such token), or 401."""
        now = self.settings.clock()
        if found is None:
            raise _invalid_token()
        expires_at, revoked_at, device_id, user_id, username, full_name, role, office, active = (
            found
        )
        if revoked_at is not None:
            raise _invalid_token()
        if not active:
            # Deactivated behind our back (not by set_active): no reactivation revives this login.
            with self.db.writing() as session:
                _revoke_all(session, user_id, now)
            raise _invalid_token()
        if expires_at <= now:
            raise ApiError(401, ErrorCode.TOKEN_EXPIRED, "access token expired: refresh")
        return Caller(user_id, username, full_name, role, office, device_id)

    # --- signing keys --------------------------------------------------------------

    def register_key(self, caller: Caller, device_id: str, public_key: str) -> None:
        if device_id != caller.device_id:
            raise validation(
                "device_id is not the device this token was issued for",
                {"device_id": "must be the token's device"},
            )
        try:
            load_public_key(public_key)
        except ValueError as exc:
            raise validation(
                f"not an Ed25519 public key: {exc}",
                {"public_key": "32 raw bytes, standard base64 with padding"},
            ) from None
        with self.db.writing() as session:
            row = session.get(SigningKey, (caller.user_id, device_id))
            if row is None:
                session.add(
                    SigningKey(
                        user_id=caller.user_id,
                        device_id=device_id,
                        public_key=public_key,
                        created_at=self.settings.clock(),
                    )
                )
            elif row.public_key != public_key:
                raise ApiError(
                    409, ErrorCode.KEY_EXISTS, "this user and device already have another key"
                )


def caller_query(hashed: str) -> Executable:
    """Who holds the access token hashed ``hashed``: the columns ``Auth.judge`` reads."""
    return (
        select(
            AccessToken.expires_at, TokenFamily.revoked_at, TokenFamily.device_id,
            User.id, User.username, User.full_name, User.role, User.office_id, User.active,
        )
        .join(TokenFamily, AccessToken.family_id == TokenFamily.id)
        .join(User, TokenFamily.user_id == User.id)
        .where(AccessToken.token_hash == hashed)
    )


def _revoke_all(session: Session, user_id: str, now: datetime) -> None:
    session.execute(
        update(TokenFamily)
        .where(TokenFamily.user_id == user_id, TokenFamily.revoked_at.is_(None))
        .values(revoked_at=now)
    )
