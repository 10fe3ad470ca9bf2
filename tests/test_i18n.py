"""English as the second locale: Accept-Language switches the desk and portal; the catalogue is complete."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from gongkai.agencies.models import Role
from tests.casekit import agency, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def _handler_client(**kwargs) -> Client:
    c = Client(**kwargs)
    c.force_login(staff("alice", agency("AAA", "某县教育局"), Role.HANDLER))
    return c


def test_the_desk_speaks_english_when_the_browser_asks_for_it() -> None:
    page = _handler_client(headers={"accept-language": "en"}).get("/desk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    for english in ("<h1>Disclosure on request</h1>", "<th>Tracking number</th>", "<th>Reply due</th>",
                    "<th>Working days left</th>", "Open requests", "Register request", "Annual report",
                    "No matching requests", "Log out"):
        assert english in html, english
    assert "受理编号" not in html and "答复期限" not in html


def test_the_desk_defaults_to_chinese() -> None:
    html = _handler_client().get("/desk/").content.decode()
    assert '<html lang="zh-hans">' in html
    for chinese in ("<h1>依申请公开</h1>", "<th>受理编号</th>", "<th>答复期限</th>", "待办申请", "退出"):
        assert chinese in html, chinese
    assert "Tracking number" not in html


def test_the_public_home_page_in_english() -> None:
    html = Client(headers={"accept-language": "en"}).get("/").content.decode()
    assert '<html lang="en">' in html
    for english in ("Government information disclosure", "Skip to main content", "Disclosure catalogue",
                    "Disclosure on request", "Annual reports"):
        assert english in html, english


def _entries(text: str) -> list[tuple[str, list[str], list[str], str | None, str | None]]:
    """(msgid, msgstrs, flags, msgctxt, msgid_plural) for each entry in a .po file; enough for Django's
    makemessages output (msgstrs: ``[msgstr]``, or ``[msgstr[0], msgstr[1]]`` for a plural)."""
    entries = []
    for block in text.split("\n\n"):
        flags: list[str] = []
        parts: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [f.strip() for f in line[2:].split(",")]
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
                key, _, rest = line.partition(" ")
                parts[key] = [ast.literal_eval(rest)]
            elif line.startswith('"') and key:
                parts[key].append(ast.literal_eval(line))
        if "msgid" in parts:
            joined = {k: "".join(v) for k, v in parts.items()}
            msgstrs = [v for k, v in sorted(joined.items()) if k.startswith("msgstr")]
            entries.append((joined["msgid"], msgstrs, flags, joined.get("msgctxt"), joined.get("msgid_plural")))
    return entries


def _translated(msgid: str, context: str | None, plural: str | None) -> list[str]:
    """What the compiled catalogue gives for an entry: the singular and plural (n = 1, 2), or the one text."""
    if plural is not None:
        if context is not None:
            return [translation.npgettext(context, msgid, plural, n) for n in (1, 2)]
        return [translation.ngettext(msgid, plural, n) for n in (1, 2)]
    return [translation.pgettext(context, msgid) if context is not None else translation.gettext(msgid)]


def test_the_english_catalogue_is_complete_and_compiled() -> None:
    entries = _entries(PO_FILE.read_text(encoding="utf-8"))
    assert entries[0][0] == "" and "Language: en" in entries[0][1][0]
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstrs, *_ in entries[1:] if not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags, *_ in entries if "fuzzy" in flags]
    assert untranslated == [] and fuzzy == []
    with translation.override("en"):  # the committed django.mo matches the .po (recompile after editing it)
        stale = [msgid for msgid, msgstrs, _, context, plural in entries[1:]
                 if _translated(msgid, context, plural) != msgstrs]
    assert stale == []
