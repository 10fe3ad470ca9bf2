"""Building blocks for case tests: agencies, staff with roles, requests registered through the workflow."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.cases import workflow
from gongkai.cases.models import Case


def agency(code: str, name: str | None = None, parent: Agency | None = None) -> Agency:
    return Agency.objects.create(code=code, name=name or f"{code}机关", parent=parent)


def staff(username: str, where: Agency, *roles: str) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    for role in roles or (Role.HANDLER,):
        Membership.objects.create(user=user, agency=where, role=role)
    return user


def request(where: Agency, actor: AbstractUser, received: date, applicant_type: str = "natural_person",
            n: int = 1, **extra: Any) -> Case:
    fields: dict[str, Any] = {
        "applicant_type": applicant_type, "applicant_name": f"张{n}", "id_document": f"身份证 5109{n:014d}",
        "phone": "13800000000", "description": f"关于第{n}号事项的文件", "channel": "in_person",
        "submitted_on": received,
    }
    fields.update(extra)
    return workflow.register(where, actor, **fields)


def logged_in(user: AbstractUser) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def messages_of(response: Any) -> list[str]:
    """The messages a page shows (``django.contrib.messages``), as text."""
    return [str(m) for m in response.context["messages"]]


def paused_case(where: Agency, handler: AbstractUser, head: AbstractUser) -> Case:
    """A request of 20 January 2025 whose clock has every kind of pause: correction asked 22 January
    and received 6 February (the count restarts), a third party consulted 10–14 February, and 20
    working days' extension approved 20 February; its reply is due 9 April 2025 (the desk tests spell
    the working days out)."""
    case = request(where, handler, date(2025, 1, 20), n=3)
    workflow.request_correction(case, handler, date(2025, 1, 22), "请写明文件名称", date(2025, 2, 7))
    workflow.receive_correction(case, handler, date(2025, 2, 6))
    workflow.start_consultation(case, handler, "third_party", "某公司", date(2025, 2, 10))
    workflow.consultation_reply(case, handler, case.consultations.get(), date(2025, 2, 14), "不同意")
    workflow.extend(case, head, 20, date(2025, 2, 20), "需要与第三方进一步核实")
    return case
