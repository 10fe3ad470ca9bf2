"""An item's body: HTML made safe to show, and the plain text that is searched and quoted.

Pure Python (no Django).  Sanitising uses ``nh3`` (the Ammonia sanitiser): an allow-list of the
formatting government documents use — paragraphs, headings, lists, tables, emphasis, links and
images over http(s), alignment and indentation — and nothing else.  ``<script>`` and ``<style>``
go with their content; every ``on*`` attribute, ``javascript:`` URL and unknown tag goes.

The plain text keeps words whole: inline tags (``<span>``, ``<b>``, ``<font>`` …) join their text
without a break, because Word-exported HTML cuts words into spans (``基本医<span>疗保险</span>``);
block tags and ``<br>`` end a line; a line break inside the source text between two Chinese
characters (a wrapped line) is removed, elsewhere it is a space.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "div", "span", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "img",
})
ALLOWED_ATTRIBUTES = {
    "*": {"style"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "col": {"span"},
    "p": {"align"},
    "div": {"align"},
}
ALLOWED_STYLE_PROPERTIES = frozenset({"text-align", "text-indent", "font-weight", "font-style", "text-decoration"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template", "title"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str) -> str:
    """``html`` with only the allowed formatting left (idempotent: cleaning twice changes nothing)."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(ALLOWED_STYLE_PROPERTIES),
        strip_comments=True,
    )


_BLOCK_TAGS = frozenset({
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "section", "article", "header", "footer", "title",
})
_CELL_TAGS = frozenset({"td", "th"})
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_SOFT_BREAK = "\x00"
_CJK = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append("\t")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\f\v]*[\r\n][\s]*", _SOFT_BREAK, data))


def html_to_text(html: str) -> str:
    """The text a reader sees, one line per block, words kept whole (see the module docstring)."""
    if not html:
        return ""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ").replace("\u3000", " ")
    text = re.sub(rf"(?<={_CJK}){_SOFT_BREAK}+(?={_CJK})", "", text)
    text = text.replace(_SOFT_BREAK, " ")
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
