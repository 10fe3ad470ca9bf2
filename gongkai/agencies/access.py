"""Who may see and do what, in one place.

Every view and service that touches a case asks here.  The rules:

* staff see the cases of the agencies where they hold a case role (registrar, handler, approver,
  administrator), and applicants' personal data only there;
* a supervisor sees the figures and case list (without applicants' personal data) of their agency
  and every agency below it;
* the public sees no case.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from .models import Agency, Membership, Role

CASE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)

User = AbstractBaseUser | AnonymousUser


def _memberships(user: User, roles: Iterable[str]) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(Membership.objects.filter(user_id=user.pk, role__in=list(roles), agency__is_active=True)
                .select_related("agency"))


def handling_agency_ids(user: User) -> set[int]:
    """Agencies whose cases, applicants included, ``user`` works on."""
    return {m.agency_id for m in _memberships(user, CASE_ROLES)}


def supervised_agency_ids(user: User) -> set[int]:
    """Agencies whose case figures ``user`` may see: handled ones, and everything below a supervisor's."""
    ids = handling_agency_ids(user)
    for m in _memberships(user, [Role.SUPERVISOR]):
        ids |= m.agency.descendant_ids()
    return ids


def has_role(user: User, agency: Agency | int, *roles: str) -> bool:
    agency_id = agency if isinstance(agency, int) else agency.pk
    return any(m.agency_id == agency_id for m in _memberships(user, roles))
