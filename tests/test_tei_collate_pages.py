"""What the apparatus says about paragraphs reaches their permalink pages correctly (real corpus)."""

import pytest

from reader.texts.loader import CorpusLoader
from reader.texts.models import Paragraph, Reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(corpus_dir):
    report = CorpusLoader(corpus_dir).run()
    assert report.failed == []


def test_paragraph_identical_in_both_versions_has_no_variants(client, loaded):
    """001 lacks 000's headings; their gaps stand between two of 001's paragraphs, which are
    identical in both versions: their permalink pages must not say they have variants."""

    def collated(p):  # the text as collated: with its "[citation needed]" markers
        return p.collation_text or p.text

    first = {collated(p) for p in Paragraph.objects.filter(document__slug="soviet-partisans-in-latvia")}
    second = Paragraph.objects.filter(document__slug="soviet-partisans-in-latvia-2").order_by("position")
    identical = [p for p in second if collated(p) in first]
    assert len(identical) > 20
    varied = set(Reading.objects.filter(paragraph__in=identical).values_list("paragraph__xml_id", flat=True))
    assert varied == set()
    page = client.get(f"/texts/soviet-partisans-in-latvia-2/{identical[0].xml_id}/").content.decode()
    assert "Variant readings here" not in page
    changed = next(p for p in second if "Most noted was" in p.text)
    page = client.get(f"/texts/soviet-partisans-in-latvia-2/{changed.xml_id}/").content.decode()
    assert "Variant readings here" in page and "substantive" in page


def test_shared_reading_points_into_each_witness_file(tmp_path):
    """A reading two witnesses share names each one's own paragraph (ids differ between files)."""
    from lxml import etree

    from reader.tei.collate import collate
    from reader.tei.collate.apparatus import write_apparatus
    from reader.tei.document import Unit
    from reader.tei.parsing import parse_collation

    def units(prefix, *texts):
        return [
            Unit(id=f"{prefix}{k}", kind="p", section_id="s1", text=t, lang=None, inferred=False)
            for k, t in enumerate(texts, 1)
        ]

    collation = collate(
        [
            ("a", units("p", "One two three.", "Four five six.")),
            ("b", units("q", "One two three.", "Four five seven.")),
            ("c", units("r", "Zero.", "One two three.", "Four five seven.")),
        ]
    )
    root = write_apparatus(collation, work="w", targets={s: f"../{s}.xml" for s in "abc"})
    data = parse_collation(etree.fromstring(etree.tostring(root)), "collations/w.xml")
    seven = next(r for v in data.variants for r in v.readings if r.text.strip() == "seven")
    assert seven.paragraphs == {"wit-b": "q2", "wit-c": "r3"}
    zero = next(v for v in data.variants if any(r.text.strip() == "Zero." for r in v.readings))
    gap = next(r for r in zero.readings if not r.text)
    assert gap.paragraphs == {"wit-a": "", "wit-b": ""}  # a whole paragraph only c has: no neighbour varies
