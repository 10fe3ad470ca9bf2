"""The default texts of the letters, kept as files in ``letter_texts/`` (an administrator edits the
copies in the database through the admin).

Each file: the title on the first line, a blank line, then the body — plain text in Django
template syntax; a blank line starts a new paragraph.  Variables: ``agency``, ``case``, ``due``
(the answer due date), ``correction``, ``extension``, ``consultation``, ``outcome`` (label),
``basis`` (articles), ``grounds``, ``today``.
"""

from __future__ import annotations

from pathlib import Path

TEXTS = Path(__file__).with_name("letter_texts")
KINDS = ("receipt", "correction", "extension", "consultation", "answer")


def default(kind: str) -> tuple[str, str]:
    """(title, body) of the default letter ``kind``."""
    title, _, body = (TEXTS / f"{kind}.txt").read_text(encoding="utf-8").partition("\n\n")
    return title.strip(), body.strip()


DEFAULTS: dict[str, tuple[str, str]] = {kind: default(kind) for kind in KINDS}
