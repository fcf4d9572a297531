"""Regulator-approval rules: which accepted requests go to ``regulator_review``.

A rule names a region (its descendants included) and optionally an asset kind, a minimum number
of units and "co_build needs only"; a request matches when every given condition holds. Platform
admins manage every rule; regulators manage rules inside their own jurisdiction.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.agreements.models import ApprovalRule, SharingRequest
from infrashare.agreements.schemas import RuleCreate
from infrashare.assets.models import Asset
from infrashare.audit.service import record_event
from infrashare.core.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from infrashare.core.principal import Principal, Role
from infrashare.needs.models import Need, NeedMode
from infrashare.regions.models import Region
from infrashare.regions.service import missing_region_codes


async def region_and_ancestors(db: AsyncSession, code: str) -> list[str]:
    chain = [code]
    while True:
        parent = await db.scalar(select(Region.parent_code).where(Region.code == chain[-1]))
        if not parent or parent in chain:
            return chain
        chain.append(parent)


async def matching_rule(db: AsyncSession, request: SharingRequest, asset: Asset) -> ApprovalRule | None:
    """The oldest active rule this request falls under, or None (no review needed)."""
    co_build = False
    if request.need_id is not None:
        co_build = await db.scalar(select(Need.mode).where(Need.id == request.need_id)) == NeedMode.CO_BUILD
    query = select(ApprovalRule).where(
        ApprovalRule.is_active.is_(True),
        ApprovalRule.region_code.in_(await region_and_ancestors(db, asset.region_code)),
        or_(ApprovalRule.asset_kind.is_(None), ApprovalRule.asset_kind == asset.kind),
        or_(ApprovalRule.min_units.is_(None), ApprovalRule.min_units <= request.units),
    )
    if not co_build:
        query = query.where(ApprovalRule.co_build_only.is_(False))
    rule: ApprovalRule | None = await db.scalar(query.order_by(ApprovalRule.created_at, ApprovalRule.id))
    return rule


async def _may_manage(db: AsyncSession, principal: Principal, region_code: str) -> None:
    if principal.role == Role.PLATFORM_ADMIN:
        return
    if principal.jurisdiction:
        if region_code in principal.jurisdiction:
            return
        raise PermissionDenied(f"Region {region_code} is outside your jurisdiction.")
    raise PermissionDenied("Approval rules are managed by platform admins and regulators.")


def _snapshot(rule: ApprovalRule) -> dict[str, object]:
    return {
        "region_code": rule.region_code,
        "asset_kind": rule.asset_kind,
        "min_units": rule.min_units,
        "co_build_only": rule.co_build_only,
        "description": rule.description,
        "is_active": rule.is_active,
    }


async def create_rule(db: AsyncSession, principal: Principal, data: RuleCreate) -> ApprovalRule:
    if await missing_region_codes(db, [data.region_code]):
        raise InvalidInput(
            f"Unknown region {data.region_code}.", errors=[FieldError("region_code", "unknown region code")]
        )
    await _may_manage(db, principal, data.region_code)
    rule = ApprovalRule(
        id=uuid.uuid4(),
        region_code=data.region_code,
        asset_kind=data.asset_kind,
        min_units=data.min_units,
        co_build_only=data.co_build_only,
        description=data.description,
        is_active=True,
        created_by_organisation_id=principal.organisation_id,
    )
    db.add(rule)
    await db.flush()
    await record_event(
        db, principal.actor, "approval_rule.created", "approval_rule", rule.id, after=_snapshot(rule)
    )
    return rule


async def list_rules(db: AsyncSession, include_inactive: bool) -> list[ApprovalRule]:
    query = select(ApprovalRule)
    if not include_inactive:
        query = query.where(ApprovalRule.is_active.is_(True))
    return list((await db.scalars(query.order_by(ApprovalRule.region_code, ApprovalRule.created_at))).all())


async def deactivate_rule(db: AsyncSession, principal: Principal, rule_id: uuid.UUID) -> ApprovalRule:
    """Rules are never deleted (requests refer to them); a deactivated rule matches nothing new."""
    rule = await db.get(ApprovalRule, rule_id)
    if rule is None:
        raise NotFound(f"Approval rule {rule_id} does not exist.")
    await _may_manage(db, principal, rule.region_code)
    if rule.is_active:
        rule.is_active = False
        await db.flush()
        await record_event(
            db,
            principal.actor,
            "approval_rule.deactivated",
            "approval_rule",
            rule.id,
            before={"is_active": True},
            after={"is_active": False},
        )
    return rule
