"""Rules for signing in, organisations, users and their roles."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import (
    JurisdictionRegion,
    Membership,
    Organisation,
    User,
    WebSession,
)
from infrashare.accounts.passwords import require_strong_password
from infrashare.accounts.schemas import OrganisationCreate, UserCreate
from infrashare.audit.service import record_event
from infrashare.core import ratelimit
from infrashare.core.area import NO_JURISDICTION, Jurisdiction
from infrashare.core.authentication import token_digest
from infrashare.core.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from infrashare.core.principal import SYSTEM, Actor, OrganisationKind, Principal, Role
from infrashare.core.settings import Settings
from infrashare.regions.service import jurisdiction_over, missing_region_codes

PASSWORDS = PasswordHasher()
# Verified against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = PASSWORDS.hash("not-a-real-password")

ROLES_BY_KIND = {
    OrganisationKind.OPERATOR: {Role.OPERATOR_ADMIN, Role.OPERATOR_MEMBER},
    OrganisationKind.REGULATOR: {Role.REGULATOR},
    OrganisationKind.PLATFORM: {Role.PLATFORM_ADMIN},
}


class SignInFailed(NotAuthenticated):
    keeps_changes = True


def hash_password(password: str) -> str:
    return PASSWORDS.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return PASSWORDS.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SignIn:
    token: str
    session: WebSession


@dataclass(frozen=True)
class SignInAttempt:
    """An attempt already counted against its two throttles (see ``throttle_sign_in``)."""

    email: str
    address: str
    account_key: str
    address_key: str
    address_window: int


async def throttle_sign_in(db: AsyncSession, settings: Settings, email: str, address: str) -> SignInAttempt:
    """Counts a sign-in attempt before its password is checked, in the caller's own short
    transaction, against two throttles: this e-mail from this client address, and this address
    whatever the e-mail. Past either, a 429 with Retry-After and no password check.

    Known and unknown e-mails count alike, and no attempt from one address slows another, so
    nobody can lock a person out or learn whether an e-mail has an account; guessing one
    account's password from many addresses meets the password rules (``accounts/passwords.py``)."""
    email = email.lower()
    account = hashlib.sha256(f"{email}\n{address}".encode()).hexdigest()[:40]
    account_key, address_key = f"sign-in:{account}", f"sign-in-from:{address}"[:128]
    window = settings.login_window_minutes * 60
    by_account = await ratelimit.count(db, account_key, window)
    by_address = await ratelimit.count(db, address_key, window)
    for counted, limit in (
        (by_account, settings.login_max_failures),
        (by_address, settings.login_address_max_failures),
    ):
        if counted.used > limit:
            raise ratelimit.refuse(
                "sign-in", limit, counted, detail="Too many failed sign-ins from here; try again later."
            )
    return SignInAttempt(email, address, account_key, address_key, by_address.window_start)


async def sign_in(
    db: AsyncSession,
    settings: Settings,
    attempt: SignInAttempt,
    password: str,
    organisation_id: uuid.UUID | None,
    now: datetime,
) -> SignIn:
    """Checks the password of an attempt ``throttle_sign_in`` counted; a success un-counts it."""
    user = await db.scalar(select(User).where(User.email == attempt.email))
    if user is None or not user.is_active:
        password_matches(_DUMMY_HASH, password)
        await _record_failure(db, attempt, user)
    elif not password_matches(user.password_hash, password):
        await _record_failure(db, attempt, user)
    assert user is not None
    await ratelimit.forget(db, attempt.account_key)
    await ratelimit.uncount(db, attempt.address_key, attempt.address_window)
    user.last_login_at = now
    membership = await _membership_for_sign_in(db, user, organisation_id)
    token = secrets.token_urlsafe(32)
    session = WebSession(
        token_hash=token_digest(token),
        user_id=user.id,
        organisation_id=membership.organisation_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(days=settings.session_days),
    )
    db.add(session)
    # Expired sessions are useless; dropping them at sign-in keeps the table small without a cron.
    await db.execute(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at <= now))
    await record_event(
        db,
        Actor(user.id, membership.organisation_id),
        "user.signed_in",
        "user",
        user.id,
        after={"address": attempt.address},
    )
    return SignIn(token=token, session=session)


async def _record_failure(db: AsyncSession, attempt: SignInAttempt, user: User | None) -> NoReturn:
    """Records the failed attempt (kept: ``SignInFailed`` commits) and answers as for any other."""
    subject = str(user.id) if user else hashlib.sha256(attempt.email.encode()).hexdigest()[:32]
    await record_event(
        db,
        SYSTEM,
        "user.sign_in_failed",
        "user" if user else "unknown_account",
        subject,
        after={"address": attempt.address},
    )
    raise SignInFailed("Wrong e-mail or password.")


async def _membership_for_sign_in(
    db: AsyncSession, user: User, organisation_id: uuid.UUID | None
) -> Membership:
    query = (
        select(Membership)
        .join(Organisation)
        .where(Membership.user_id == user.id, Organisation.is_active.is_(True))
    )
    if organisation_id:
        query = query.where(Membership.organisation_id == organisation_id)
    membership = await db.scalar(query.order_by(Membership.organisation_id).limit(1))
    if membership is None:
        raise SignInFailed("This account belongs to no active organisation.")
    return membership


async def session_principal(db: AsyncSession, token: str, now: datetime) -> Principal | None:
    """The principal behind a session cookie, or None when it is unknown, expired or disabled.
    Every request asks: plain columns, no ORM objects."""
    row = (
        await db.execute(
            select(
                WebSession.user_id,
                WebSession.csrf_token,
                WebSession.token_hash,
                WebSession.expires_at,
                Membership.role,
                Organisation.id,
                Organisation.kind,
            )
            .join(User, User.id == WebSession.user_id)
            .join(
                Membership,
                (Membership.user_id == WebSession.user_id)
                & (Membership.organisation_id == WebSession.organisation_id),
            )
            .join(Organisation, Organisation.id == WebSession.organisation_id)
            .where(
                WebSession.token_hash == token_digest(token),
                WebSession.expires_at > now,
                User.is_active.is_(True),
                Organisation.is_active.is_(True),
            )
        )
    ).first()
    if row is None:
        return None
    return Principal(
        user_id=row.user_id,
        organisation_id=row.id,
        organisation_kind=row.kind,
        role=row.role,
        jurisdiction=await principal_jurisdiction(db, row.id, row.kind),
        csrf_token=row.csrf_token,
        session_token_hash=row.token_hash,
        expires_at=row.expires_at,
    )


async def sign_out(db: AsyncSession, principal: Principal) -> None:
    if principal.session_token_hash:
        await db.execute(delete(WebSession).where(WebSession.token_hash == principal.session_token_hash))
        await record_event(db, principal.actor, "user.signed_out", "user", principal.user_id)


async def principal_jurisdiction(
    db: AsyncSession, organisation_id: uuid.UUID, kind: OrganisationKind
) -> Jurisdiction:
    """What a caller of this organisation oversees, expanded once per principal (the principal
    cache keeps it between safe requests). The one "is a regulator" test: only regulator
    organisations have a jurisdiction, so no one else's request pays the queries, and every
    rule after this asks the jurisdiction, not the role."""
    if kind != OrganisationKind.REGULATOR:
        return NO_JURISDICTION
    return await jurisdiction_over(db, await jurisdiction_of(db, organisation_id))


async def jurisdiction_of(db: AsyncSession, organisation_id: uuid.UUID) -> list[str]:
    query = (
        select(JurisdictionRegion.region_code)
        .where(JurisdictionRegion.organisation_id == organisation_id)
        .order_by(JurisdictionRegion.region_code)
    )
    return list((await db.scalars(query)).all())


async def get_organisation(db: AsyncSession, organisation_id: uuid.UUID) -> Organisation:
    organisation = await db.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"Organisation {organisation_id} does not exist.")
    return organisation


async def list_organisations(db: AsyncSession) -> list[Organisation]:
    return list((await db.scalars(select(Organisation).order_by(Organisation.name))).all())


async def create_organisation(
    db: AsyncSession, principal: Principal, data: OrganisationCreate
) -> Organisation:
    principal.require_role(Role.PLATFORM_ADMIN)
    if await db.scalar(select(Organisation.id).where(Organisation.name == data.name)):
        raise Conflict(f"An organisation named {data.name!r} exists already.", field="name")
    organisation = Organisation(name=data.name, industry=data.industry, kind=data.kind)
    db.add(organisation)
    await db.flush()
    await record_event(
        db, principal.actor, "organisation.created", "organisation", organisation.id, after=data.model_dump()
    )
    return organisation


async def set_jurisdiction(
    db: AsyncSession, principal: Principal, organisation_id: uuid.UUID, region_codes: list[str]
) -> list[str]:
    principal.require_role(Role.PLATFORM_ADMIN)
    organisation = await get_organisation(db, organisation_id)
    if organisation.kind != OrganisationKind.REGULATOR:
        raise Conflict("Only regulators have a jurisdiction.", field="kind")
    codes = sorted(set(region_codes))
    unknown = await missing_region_codes(db, codes)
    if unknown:
        errors = [
            FieldError(f"region_codes[{region_codes.index(c)}]", f"unknown region {c}") for c in unknown
        ]
        raise InvalidInput(f"Unknown region codes: {', '.join(unknown)}", errors=errors)
    before = await jurisdiction_of(db, organisation_id)
    await db.execute(delete(JurisdictionRegion).where(JurisdictionRegion.organisation_id == organisation_id))
    db.add_all(JurisdictionRegion(organisation_id=organisation_id, region_code=code) for code in codes)
    await db.flush()
    await record_event(
        db,
        principal.actor,
        "organisation.jurisdiction_set",
        "organisation",
        organisation_id,
        before={"region_codes": before},
        after={"region_codes": codes},
    )
    return codes


def _require_user_admin(principal: Principal, organisation_id: uuid.UUID) -> None:
    if principal.role == Role.PLATFORM_ADMIN:
        return
    if principal.role == Role.OPERATOR_ADMIN and principal.organisation_id == organisation_id:
        return
    raise PermissionDenied("Only this organisation's admins manage its users.")


async def list_users(
    db: AsyncSession, principal: Principal, organisation_id: uuid.UUID
) -> list[tuple[User, Role]]:
    _require_user_admin(principal, organisation_id)
    rows = await db.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(User.email)
    )
    return [(user, role) for user, role in rows.all()]


async def create_user(
    db: AsyncSession, principal: Principal, organisation_id: uuid.UUID, data: UserCreate
) -> User:
    _require_user_admin(principal, organisation_id)
    organisation = await get_organisation(db, organisation_id)
    if data.role not in ROLES_BY_KIND[organisation.kind]:
        allowed = ", ".join(sorted(ROLES_BY_KIND[organisation.kind]))
        raise InvalidInput(
            f"A {organisation.kind} organisation's users can be: {allowed}.",
            errors=[FieldError("role", f"must be one of: {allowed}")],
        )
    email = data.email.lower()
    require_strong_password(data.password, [email, data.display_name])
    if await db.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise Conflict(f"A user with e-mail {email} exists already.", field="email")
    user = User(
        email=email,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        locale=data.locale,
    )
    db.add(user)
    await db.flush()
    db.add(Membership(user_id=user.id, organisation_id=organisation_id, role=data.role))
    await db.flush()
    after = data.model_dump(exclude={"password"}) | {"organisation_id": organisation_id}
    await record_event(db, principal.actor, "user.created", "user", user.id, after=after)
    return user


async def _member(db: AsyncSession, organisation_id: uuid.UUID, user_id: uuid.UUID) -> tuple[User, Role]:
    row = (
        await db.execute(
            select(User, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(User.id == user_id, Membership.organisation_id == organisation_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"User {user_id} is not a member of organisation {organisation_id}.")
    return row[0], row[1]


async def set_user_active(
    db: AsyncSession, principal: Principal, organisation_id: uuid.UUID, user_id: uuid.UUID, active: bool
) -> tuple[User, Role]:
    _require_user_admin(principal, organisation_id)
    user, role = await _member(db, organisation_id, user_id)
    if user.id == principal.user_id and not active:
        raise Conflict("You cannot deactivate yourself.")
    before = user.is_active
    user.is_active = active
    if not active:
        await db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    action = "user.activated" if active else "user.deactivated"
    await record_event(
        db,
        principal.actor,
        action,
        "user",
        user.id,
        before={"is_active": before},
        after={"is_active": active},
    )
    return user, role
