"""Small TEI fixtures for the reader tests, shaped as docs/tei-conventions.md says."""

from __future__ import annotations

from pathlib import Path

HEADER = """<teiHeader><fileDesc><titleStmt><title>{title}</title>
<respStmt xml:id="pipeline"><resp>conversion</resp><name>Parallax pipeline</name></respStmt></titleStmt>
<publicationStmt><publisher>Parallax</publisher><availability status="free">
<licence target="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</licence></availability></publicationStmt>
{notes}<sourceDesc><bibl><title>{title}</title><idno type="seed">{seed}</idno><idno type="sha256">{sha}</idno></bibl></sourceDesc>
</fileDesc><profileDesc><langUsage><language ident="en">English</language><language ident="ru">Russian</language></langUsage></profileDesc>
<revisionDesc><change n="1" when="2026-01-01" who="#pipeline">Converted.</change>{changes}</revisionDesc></teiHeader>"""


def tei_document(
    slug: str,
    body: str,
    title: str = "A test text",
    work: str | None = None,
    history: str = "",
    seed: str = "900_test.txt",
    revision: int = 1,
) -> str:
    notes = f'<notesStmt><relatedItem type="work" target="collations/{work}.xml"/></notesStmt>' if work else ""
    changes = "".join(
        f'<change n="{n}" when="2026-02-0{n}" who="#pipeline">Re-ingested.</change>' for n in range(2, revision + 1)
    )
    header = HEADER.format(title=title, notes=notes, seed=seed, sha="0" * 64, changes=changes)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{slug}" xml:lang="en">'
        f"{header}<text><body>{body}</body></text>{history}</TEI>\n"
    )


PARTISANS_BODY = """<div type="section" xml:id="s1"><p xml:id="p1">The <placeName ref="register.xml#pla-latvia" resp="#pipeline" cert="high">Latvia</placeName> text.</p></div>
<div type="section" xml:id="s2"><head xml:id="h1">Background</head>
<p xml:id="p2">In <date when="1941-06">June 1941</date> the <orgName ref="register.xml#org-army" resp="#pipeline" cert="medium">German Army</orgName> came.<note type="editorial" subtype="citation-needed">[citation needed]</note> The most active one was the Sarkanā bulta.</p>
<p xml:id="p3">Led by <persName ref="register.xml#per-sprogis" resp="#annotator-anna">A. K. Sproģis</persName>, they fought <foreign xml:lang="lv">par Dzimteni</foreign>.</p>
<list><item xml:id="i1">Forest Brothers</item></list>
<listBibl><bibl xml:id="b1" xml:lang="ru">Я.П. Крастынь. Борьба.</bibl></listBibl></div>"""

PARTISANS_2_BODY = """<div type="section" xml:id="s1"><p xml:id="p1" resp="#pipeline">The Latvia text.</p>
<p xml:id="p2" resp="#pipeline">In June 1941 the German Army came. The most active one was the Sarkana bulta.</p>
<p xml:id="p3" resp="#pipeline">Led by A. K. Sproģis, they fought par Dzimtenes.</p></div>"""

HISTORY = """<standOff type="paragraph-history"><listAnnotation type="retired">
<note type="retired" n="p9" corresp="#p2" subtype="merged" when="2026-02-02">An old paragraph merged into p2.</note>
<note type="retired" n="p8" corresp="#p9" subtype="merged" when="2026-02-02">Older still, merged into p9.</note>
<note type="retired" n="p7" subtype="deleted" when="2026-02-02">A deleted paragraph that said &lt;script&gt;alert(1)&lt;/script&gt;.</note>
</listAnnotation><listAnnotation type="earlier-texts">
<note type="earlier-text" target="#p2" n="1">In June 1941 the army came.</note></listAnnotation></standOff>"""

REGISTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="register"><teiHeader><fileDesc><titleStmt><title>Register</title></titleStmt>
<publicationStmt><p>Parallax</p></publicationStmt><sourceDesc><p>Made by the pipeline.</p></sourceDesc></fileDesc></teiHeader>
<standOff><listPerson><person xml:id="per-sprogis" resp="#pipeline"><persName>Arturs Sproģis</persName><persName type="variant">A. K. Sproģis</persName><idno type="wikidata">Q4153522</idno></person></listPerson>
<listPlace><place xml:id="pla-latvia" resp="#pipeline"><placeName>Latvia</placeName><placeName type="variant" xml:lang="lv">Latvija</placeName><idno type="wikidata">Q211</idno><idno type="geonames">458258</idno></place></listPlace>
<listOrg><org xml:id="org-army" resp="#pipeline"><orgName>German Army</orgName><note>The Wehrmacht's land forces.</note></org></listOrg></standOff></TEI>
"""


def _write(path: Path, xml: str) -> None:
    """Write as the pipeline writes TEI (``reader.tei.xml.serialize``)."""
    from reader.tei.xml import parse_bytes, serialize

    path.write_bytes(serialize(parse_bytes(xml.encode("utf-8"))))


def write_corpus(directory: Path, with_history: bool = True, revision: int = 1, register: bool = True) -> Path:
    """A two-witness work and (unless ``register`` is false) the register below ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(
        directory / "partisans.xml",
        tei_document(
            "partisans",
            PARTISANS_BODY,
            "Partisans",
            work="partisans",
            history=HISTORY if with_history else "",
            seed="900_a.txt",
            revision=revision,
        ),
    )
    _write(
        directory / "partisans-2.xml",
        tei_document("partisans-2", PARTISANS_2_BODY, "Partisans", work="partisans", seed="901_b.txt"),
    )
    if register:
        _write(directory / "register.xml", REGISTER)
    return directory


def long_body(paragraphs: int) -> str:
    """A body of ``paragraphs`` paragraphs in sections of ten, each with a mention."""
    parts = []
    for s in range(0, paragraphs, 10):
        units = "".join(
            f'<p xml:id="p{n + 1}">Paragraph {n + 1} names <placeName ref="register.xml#pla-latvia">Latvia</placeName> once.</p>'
            for n in range(s, min(paragraphs, s + 10))
        )
        parts.append(
            f'<div type="section" xml:id="s{s // 10 + 1}"><head xml:id="h{s // 10 + 1}">Part {s // 10 + 1}</head>{units}</div>'
        )
    return "".join(parts)


COLLATION = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="collation-partisans"><teiHeader><fileDesc><titleStmt><title>Collation</title></titleStmt>
<publicationStmt><p>Parallax</p></publicationStmt><sourceDesc><listWit>
<witness xml:id="wit-a" corresp="../partisans.xml">A</witness><witness xml:id="wit-b" corresp="../partisans-2.xml">B</witness>
</listWit></sourceDesc></fileDesc></teiHeader><text><body>
<ab type="alignment" n="1" corresp="../partisans.xml#p1 ../partisans-2.xml#p1">The Latvia text. </ab>
<ab type="alignment" n="2" corresp="../partisans.xml#p2 ../partisans-2.xml#p2">In June 1941 the German Army came. The most active one was the <app xml:id="app1" n="1" type="orthographic" subtype="diacritics">
<rdg wit="#wit-a" corresp="../partisans.xml#p2">Sarkanā </rdg><rdg wit="#wit-b" type="orthographic" corresp="../partisans-2.xml#p2">Sarkana </rdg></app>bulta.</ab>
</body></text></TEI>
"""

REUSE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="reuse"><teiHeader><fileDesc><titleStmt><title>Reuse</title></titleStmt>
<publicationStmt><p>Parallax</p></publicationStmt><sourceDesc><p>found by the pipeline</p></sourceDesc></fileDesc></teiHeader>
<standOff><linkGrp type="text-reuse" n="1"><desc>shared</desc><link type="text-reuse" target="../partisans.xml#i1 ../partisans-2.xml#p3"/></linkGrp></standOff>
<text><body><p>1 shared passage</p></body></text></TEI>
"""


def write_collations(directory: Path) -> None:
    (directory / "collations").mkdir(exist_ok=True)
    _write(directory / "collations" / "partisans.xml", COLLATION)
    _write(directory / "collations" / "reuse.xml", REUSE)
