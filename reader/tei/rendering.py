"""TEI inline content → safe HTML, rendered once at import time (STYLE: not per request).

How an element reads comes from one table, :mod:`reader.tei.model` (as TEI Publisher's
ODD or CETEIcean's ``defaultBehaviors``): a ``_tei_<name>`` method where an element needs
its own markup (mentions, dates, notes), else the method of its behaviour
(``_behave_<behaviour>``: line, speaker, stage, alternative, Leiden's brackets…), else a
generic ``span.tei-<name>`` showing its text.
"""

from __future__ import annotations

import re
from typing import Callable

from lxml import etree, html as lxml_html

from . import model
from .dts import CitationIndex, citation_trees
from .vocabulary import DATE, KINDS, MENTION_KIND_OF, PIPELINE, REGISTER_FILE, mention_kind
from .xml import NS, XML_LANG, append_text


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


def _canonical_refs(root: etree._Element) -> dict[etree._Element, str]:
    """Element → its reference in the document's own citation scheme (``refsDecl[@n='canonical']``)."""
    header = root.find("tei:teiHeader", NS)
    if header is None or header.find("tei:encodingDesc/tei:refsDecl[@n='canonical']", NS) is None:
        return {}
    index = CitationIndex(root, citation_trees(header)[0])
    return {u.element: u.identifier for u in index.units}


_SAFE_CLASS = re.compile(r"^[A-Za-z][\w-]{0,40}$")


def _previous_line(line: etree._Element) -> etree._Element | None:
    """The verse line before ``line`` in document order (across speeches), or None."""
    found = line.xpath("preceding::*[local-name()='l'][1]")
    return found[0] if found else None


def _loose_text(el: etree._Element) -> bool:
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


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

    #: ``note[@type]`` holding the other reading of a ``choice`` (the importer's convention): diplomatic side.
    DIPLOMATIC_NOTES = {"orig", "abbr", "sic"}
    #: ``gap[@reason]`` of an editor's transcription (Leiden ``[...]``, shown); other gaps are source noise.
    #: ``note[@type]`` of an edition's commentary (footnotes), shown by their own switch, apart from source noise.
    COMMENTARY_NOTES = {"commentary", "comment", "explanatory", "footnote", "endnote", "annotation"}
    LEIDEN_GAPS = {"lost", "illegible", "omitted", "damage", "erasure", "lacuna"}

    def __init__(self, entity_url: Callable[[str], str] | None = None):
        self.entity_url = entity_url or (lambda ref: f"/entities/{ref}/")
        self._line_numbers: dict[etree._Element, int] = {}
        self._numbered_root = None
        self._canonical: dict[etree._Element, str] = {}
        self._note_numbers: dict[etree._Element, int] = {}
        self._noted_root = None

    def render(self, el: etree._Element) -> str:
        """A unit's content as HTML; a speech's unit begins with its speaker's label."""
        wrapper = lxml_html.Element("span")
        parent = el.getparent()
        if parent is not None and _local(parent) == "sp" and el.getprevious() is not None:
            refs = [ref_id(who) for who in (parent.get("who") or "").split()]
            for speaker in parent:
                if isinstance(speaker.tag, str) and model.behaviour(speaker) == "speaker":
                    if refs and refs[0]:  # the speaker's entry in the register (the cast)
                        label = self._make(
                            "a", "speaker", speaker, href=self.entity_url(refs[0]), data_kind=KINDS["person"].name
                        )
                    else:
                        label = self._make("span", "speaker", speaker)
                    wrapper.append(label)
                    append_text(wrapper, " ")
        self._content(el, wrapper)
        only = [c for c in el if isinstance(c.tag, str)]
        if len(only) == 1 and model.behaviour(only[0]) == "stage" and not _loose_text(el):
            wrapper[0].set("class", "stage stage-unit")  # a stage direction on its own: no ¶ number
        html = lxml_html.tostring(wrapper, encoding="unicode", method="html")
        return html[len("<span>") : -len("</span>")]

    def _note_number(self, note: etree._Element) -> int:
        root = note.getroottree().getroot()
        if root is not self._noted_root:
            found = [n for n in root.iter("{*}note") if n.get("type") in self.COMMENTARY_NOTES]
            self._note_numbers, self._noted_root = {n: i for i, n in enumerate(found, 1)}, root
        return self._note_numbers.get(note, 0)

    def _number_of(self, line: etree._Element) -> int | None:
        root = line.getroottree().getroot()
        if root is not self._numbered_root:
            self._line_numbers, self._numbered_root = model.number_lines(root), root
            self._canonical = _canonical_refs(root)
        return self._line_numbers.get(line)

    def render_correspondence(self, desc: etree._Element | None) -> str:
        """A letter's header from its ``correspDesc``: who wrote to whom, where and when ('' if none)."""
        if desc is None:
            return ""
        header = lxml_html.Element("span")
        header.set("class", "letter-header")
        for action in desc.iterfind("tei:correspAction", NS):
            kind = action.get("type") or "other"
            row = lxml_html.Element("span")
            row.set("class", f"letter-{kind}")
            label = lxml_html.Element("span")
            label.set("class", "letter-label")
            label.text = self.CORRESPONDENCE_LABELS.get(kind, kind) + ": "
            row.append(label)
            parts = []
            for part in action:
                name = _local(part)
                text = " ".join("".join(part.itertext()).split())
                if not text or name not in ("persName", "orgName", "placeName", "date"):
                    continue
                out = lxml_html.Element("time" if name == "date" else "span")
                out.set("class", f"letter-{name}")
                if name == "date" and part.get("when"):
                    out.set("datetime", part.get("when"))
                out.text = text
                parts.append(out)
            for i, out in enumerate(parts):
                if i:
                    append_text(row, ", ")
                row.append(out)
            header.append(row)
        return lxml_html.tostring(header, encoding="unicode", method="html") if len(header) else ""

    CORRESPONDENCE_LABELS = {"sent": "From", "received": "To", "forwarded": "Forwarded", "redirected": "Redirected"}

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
        kind = mention_kind(el)
        if kind is not None:  # the vocabulary's kinds, whatever element marks them
            return self._tei_date(el) if kind == DATE.name else self._mention(el, kind)
        handler = getattr(self, f"_tei_{name}", None) or getattr(self, f"_behave_{model.behaviour(el)}", None)
        out = handler(el) if handler else self._generic(el)
        if el.get("facs"):  # its page or zone of the facsimile (reader/static/reader/facsimile.js)
            if name == "lb":  # a line begins: a marker, the script joins what follows up to the next one
                marker = lxml_html.Element("span")
                marker.set("class", "facs-lb")
                if out is not None:
                    marker.append(out)
                out = marker
            if out is not None:
                out.set("data-facs", el.get("facs"))
        return out

    # ------------------------------------------------------------ behaviours (reader.tei.model)
    def _behave_line(self, el):
        n = self._number_of(el)
        cls = "l"
        if el.get("part") in ("M", "F"):
            cls += f" l-part-{el.get('part')}"  # the end of a line another speaker began: indented
        if "indent" in (el.get("rend") or ""):
            cls += " l-indent"
        out = lxml_html.Element("span")
        out.set("class", cls)
        ref = self._canonical.get(el)
        if ref:  # the file's own reference (book.poem.line): the line's anchor and tooltip
            out.set("id", f"l-{ref}")
            out.set("title", ref)
        if n is not None:
            out.set("data-n", str(n))
            # a split line's number is shown once, at its beginning, not again at its middle or end
            continued = el.get("part") in ("M", "F") and self._line_numbers.get(_previous_line(el)) == n
            if n % 5 == 0 and not continued:
                number = lxml_html.Element("span")
                number.set("class", "lnum")
                number.text = str(n)
                out.append(number)
        body = self._make("span", "l-text", el)
        out.append(body)
        return out

    def _behave_lines(self, el):
        return self._make("span", "lg", el)

    def _behave_speaker(self, el):
        return self._make("span", "speaker", el)

    def _behave_stage(self, el):
        return self._make("span", "stage", el)

    def _behave_alternative(self, el):
        nxt = el.getnext()
        if nxt is not None and _local(nxt) == "note" and nxt.get("type") in self.DIPLOMATIC_NOTES:
            return self._make("span", "alt alt-norm", el, title=f"normalised ({_local(el)})")
        return self._make("span", f"tei-{_local(el)}", el)

    def _behave_supplied(self, el):
        return self._make(
            "span", "tei-supplied", el, title=f"supplied by the editor ({el.get('reason') or 'Leiden [ ]'})"
        )

    def _behave_unclear(self, el):
        return self._make("span", "tei-unclear", el, title="read with doubt")

    def _behave_expansion(self, el):
        return self._make("span", "tei-ex", el, title="expansion of an abbreviation")

    def _behave_space(self, el):
        return None  # the importer wrote the word space into the text

    def _behave_pagebreak(self, el):
        out = self._make("span", "tei-pb", None, title=f"page break{' ' + el.get('n') if el.get('n') else ''}")
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

    #: What a reader is told of a mention the pipeline suggested and no annotator confirmed.
    GUESS = "suggested by the pipeline, not confirmed"
    CERTAINTIES = {"low", "medium", "high"}

    def _guess(self, el: etree._Element, cls: str, title: str) -> tuple[str, str, str]:
        """(class, title, data-cert) of a mention: a pipeline suggestion says so in its class and its title
        (the title is the link's accessible description, so screen readers hear it, not only see a style)."""
        if el.get("resp") != PIPELINE:
            return cls, title, ""
        cert = el.get("cert") if el.get("cert") in self.CERTAINTIES else ""
        guess = self.GUESS + (f" (certainty: {cert})" if cert else "")
        return f"{cls} ent-suggested", f"{title}, {guess}", cert

    def _mention(self, el: etree._Element, kind: str):
        ref = ref_id(el.get("ref"))
        label = MENTION_KIND_OF[kind].label
        cls, title, cert = self._guess(el, f"ent {MENTION_KIND_OF[kind].css_class}", label)
        if ref:
            return self._make("a", cls, el, href=self.entity_url(ref), data_kind=kind, data_cert=cert, title=title)
        return self._make("span", cls, el, data_kind=kind, data_cert=cert, title=title)

    def _tei_date(self, el):
        when = el.get("when") or "/".join(x for x in (el.get("from"), el.get("to")) if x)
        cls, title, cert = self._guess(el, f"ent {DATE.css_class}", when or DATE.label)
        return self._make(
            "time", cls, el, datetime=when if el.get("when") else "", title=title, data_kind=DATE.name, data_cert=cert
        )

    def _noise(self, el, kind: str):
        out = self._make("span", f"noise noise-{kind}", el, data_noise=kind, title=self.NOISE_LABELS.get(kind, kind))
        return out

    def _tei_note(self, el):
        if el.get("type") in self.COMMENTARY_NOTES:  # the editors' commentary: a mark, its text on demand
            out = self._make("span", "commentary-note", None)
            mark = lxml_html.Element("sup")
            mark.set("class", "note-mark")
            mark.text = str(self._note_number(el))
            out.append(mark)
            out.append(self._make("span", "commentary", el, title="commentary", role="note"))
            return out
        if el.get("type") in self.DIPLOMATIC_NOTES:  # the other reading of a choice: the diplomatic side
            return self._make("span", "alt alt-dipl", el, title=f"diplomatic ({el.get('type')})")
        if el.get("type") == "citation":  # a footnote the source ran into the prose: shown, can be hidden
            mark = el.get("subtype") == "footnote-mark"  # a footnote mark whose note the source lost
            return self._make(
                "span",
                "inline-citation footnote-mark" if mark else "inline-citation",
                el,
                title="footnote mark" if mark else "inline citation",
            )
        return self._noise(el, el.get("type") or "note")

    def _tei_fw(self, el):
        return self._noise(el, "boilerplate")

    def _tei_gap(self, el):
        if el.get("reason") in self.LEIDEN_GAPS:  # an editor's gap: Leiden [...], shown
            out = self._make("span", "tei-gap", None, title=f"gap: {el.get('reason')}")
            out.text = "[…]"
            return out
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
        parent = el.getparent()
        if parent is not None and parent[0] is el and not (parent.text or "").strip():
            return None  # a break before the first line (a speech in prose): no empty line
        return lxml_html.Element("br")

    def _tei_seg(self, el):
        kind = el.get("type") or ""
        return self._make("span", f"tei-seg tei-seg-{kind}" if _SAFE_CLASS.match(kind) else "tei-seg", el)

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
