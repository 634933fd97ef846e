"""TEI inline content → safe HTML, rendered once at import time (STYLE: not per request).

A table from element to behaviour, as TEI Publisher's ODD or CETEIcean's
``defaultBehaviors``: one ``_tei_<name>`` method per element, a generic
``span.tei-<name>`` for the rest.
"""

from __future__ import annotations

from typing import Callable

from lxml import etree, html as lxml_html

from .vocabulary import REGISTER_FILE
from .xml import XML_LANG, append_text


def ref_id(ref: str | None) -> str:
    """The register id a mention's ``@ref`` points to: ``register.xml#per-x`` (or ``#per-x``) → ``per-x``.

    Anything else (an authority URL, a path into another file, several pointers) is no
    register id: '' (the loader reports it; the mention is shown unlinked).
    """
    target, hash_, fragment = (ref or "").strip().partition("#")
    if not hash_ or not fragment or any(c in fragment for c in "/# \t\n"):
        return ""
    if target and target.rsplit("/", 1)[-1] != REGISTER_FILE:
        return ""
    return fragment


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


class UnitRenderer:
    """TEI inline content → safe HTML, as a table from element to behaviour.

    All text goes through lxml's HTML serialiser, so corpus text is always
    escaped. ``entity_url`` turns a register id into a link.
    """

    NOISE_LABELS = {
        "gloss": "scraped link tooltip",
        "boilerplate": "page chrome",
        "editorial": "editorial note",
    }

    def __init__(self, entity_url: Callable[[str], str] | None = None):
        self.entity_url = entity_url or (lambda ref: f"/entities/{ref}/")

    def render(self, el: etree._Element) -> str:
        wrapper = lxml_html.Element("span")
        self._content(el, wrapper)
        html = lxml_html.tostring(wrapper, encoding="unicode", method="html")
        return html[len("<span>") : -len("</span>")]

    def render_noise(self, elements: list[etree._Element]) -> str:
        """Loose noise elements, each as a hidden-by-default chip."""
        return " ".join(lxml_html.tostring(self._element(el), encoding="unicode", method="html") for el in elements)

    # Content of ``src`` appended to the HTML element ``dst``.
    def _content(self, src: etree._Element, dst) -> None:
        append_text(dst, src.text)
        for child in src:
            if isinstance(child.tag, str):
                rendered = self._element(child)
                if rendered is not None:
                    dst.append(rendered)
            append_text(dst, child.tail)

    def _element(self, el: etree._Element):
        name = _local(el)
        handler = getattr(self, f"_tei_{name}", None)
        out = handler(el) if handler else self._generic(el)
        return out

    def _make(self, tag: str, cls: str, el: etree._Element | None = None, **attrs):
        out = lxml_html.Element(tag)
        out.set("class", cls)
        for key, value in attrs.items():
            if value:
                out.set(key.rstrip("_").replace("_", "-"), value)
        if el is not None:
            lang = el.get(XML_LANG)
            if lang:
                out.set("lang", lang)
            self._content(el, out)
        return out

    def _mention(self, el: etree._Element, kind: str):
        ref = ref_id(el.get("ref"))
        title = {"person": "person", "place": "place", "org": "organisation"}[kind]
        if ref:
            return self._make("a", f"ent ent-{kind}", el, href=self.entity_url(ref), data_kind=kind, title=title)
        return self._make("span", f"ent ent-{kind}", el, data_kind=kind, title=title)

    def _tei_persName(self, el):
        return self._mention(el, "person")

    def _tei_placeName(self, el):
        return self._mention(el, "place")

    def _tei_orgName(self, el):
        return self._mention(el, "org")

    def _tei_date(self, el):
        when = el.get("when") or "/".join(x for x in (el.get("from"), el.get("to")) if x)
        return self._make(
            "time", "ent ent-date", el, datetime=when if el.get("when") else "", title=when or "date", data_kind="date"
        )

    def _noise(self, el, kind: str):
        out = self._make("span", f"noise noise-{kind}", el, data_noise=kind, title=self.NOISE_LABELS.get(kind, kind))
        return out

    def _tei_note(self, el):
        if el.get("type") == "citation":  # a footnote the source ran into the prose: shown, can be hidden
            mark = el.get("subtype") == "footnote-mark"  # a footnote mark whose note the source lost
            return self._make(
                "span",
                "inline-citation footnote-mark" if mark else "inline-citation",
                el,
                title="footnote mark" if mark else "inline citation",
            )
        return self._noise(el, el.get("type") or "note")

    def _tei_supplied(self, el):
        return self._make("span", "tei-supplied", el, title="supplied by the editor")

    def _tei_fw(self, el):
        return self._noise(el, "boilerplate")

    def _tei_gap(self, el):
        out = self._make(
            "span", "noise noise-gap", None, data_noise="gap", title=f"gap: {el.get('reason', 'text missing')}"
        )
        out.text = "[…]"
        return out

    def _tei_foreign(self, el):
        return self._make("span", "foreign", el)

    def _tei_lb(self, el):
        if el.get("break") == "no":
            return None  # a source line break that is not a word space (a scraper's link boundary)
        return lxml_html.Element("br")

    def _tei_hi(self, el):
        rend = (el.get("rend") or "").lower()
        tag = "strong" if "bold" in rend else "em" if "italic" in rend else "span"
        return self._make(tag, "tei-hi", el)

    def _tei_title(self, el):
        return self._make("cite", "tei-title", el)

    def _tei_q(self, el):
        return self._make("q", "tei-q", el)

    _tei_quote = _tei_q

    def _tei_ref(self, el):
        target = el.get("target") or ""
        if target.startswith(("http://", "https://")):
            return self._make("a", "tei-ref", el, href=target, rel="nofollow")
        return self._make("span", "tei-ref", el)

    def _generic(self, el):
        return self._make("span", f"tei-{_local(el)}", el)
