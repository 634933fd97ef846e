"""Several workers share the queue (two ``jobs_worker`` processes on one database, PostgreSQL when
DATABASE_URL names it): concurrent uploads and two revisions of one document all end, every upload's
document and register entries exist, and the revisions are applied one after the other."""

from __future__ import annotations

import time

import pytest
from test_jobs_faults import TEXT, migrated_template, site  # noqa: F401 - the fixtures, shared

from reader.tei.xml import NS, parse_file

pytestmark = [pytest.mark.database, pytest.mark.slow]

#: One new person a text (spaCy's English model knows them), so that each upload adds a register entry.
PEOPLE = ["Konrad Adenauer", "Charles de Gaulle", "Dwight Eisenhower", "Bernard Montgomery"]


def report(name: str) -> str:
    return (
        f"= Report on {name} =\n\nIn 1945 {name} travelled to Riga and met the council there.\n\n"
        f"== Later ==\n\nAfter the war {name} wrote about Liepāja and Courland.\n"
    )


def test_two_workers_on_concurrent_uploads_and_revisions_lose_nothing(site):  # noqa: F811
    site.env.pop("PARALLAX_JOB_NO_ENTITIES")
    site.env["PARALLAX_JOB_PROCESSES"] = "1"
    base = site.upload("courland.txt", TEXT.encode())
    site.worker("--batch").wait(timeout=120)
    base_slug = site.jobs()[base]["document_slug"]
    base_id = site.django(f"result = Document.objects.get(slug={base_slug!r}).pk")

    revisions = [TEXT.replace("six times", f"six times (revision {n})") for n in (1, 2)]
    items = [(f"report-{n}.txt", report(name).encode(), None) for n, name in enumerate(PEOPLE)]
    items += [(f"courland-r{n}.txt", text.encode(), base_id) for n, text in enumerate(revisions, 1)]
    ids = site.uploads(items)
    workers = [site.worker("--batch"), site.worker("--batch")]
    started = time.monotonic()
    for worker in workers:
        assert worker.wait(timeout=240) == 0, worker.stdout.read()[-3000:]
    assert time.monotonic() - started < 240

    jobs = site.jobs()
    assert {jobs[i]["status"] for i in ids} == {"done"}, "\n".join(
        jobs[i]["upload_name"] + ": " + jobs[i]["log"] for i in ids
    )
    assert len({jobs[i]["worker"] for i in ids}) == 2  # both workers took jobs

    state = site.django(
        "from reader.texts.models import Mention\n"
        "result = {d.slug: {'text': ' '.join(d.paragraphs.values_list('text', flat=True)),"
        " 'people': sorted(set(Mention.objects.filter(paragraph__document=d, kind='person')"
        ".values_list('entity__xml_id', flat=True)))} for d in Document.objects.all()}"
    )
    assert len(state) == 1 + len(PEOPLE)  # no duplicate of the revised document
    register = parse_file(site.tei / "register.xml")
    entries = {el.get("{http://www.w3.org/XML/1998/namespace}id"): el for el in register.iter()}
    for n, name in enumerate(PEOPLE):
        document = state[jobs[ids[n]]["document_slug"]]
        assert name in document["text"]
        assert document["people"] and all(ref in entries for ref in document["people"]), (
            f"{name}: a person mention without its register entry: {document['people']}"
        )

    # Both revisions ran, one after the other; the document holds the one that finished last.
    finished = site.django(
        f"result = dict(SourceJob.objects.filter(pk__in={ids[-2:]!r}).values_list('pk', 'finished'))"
    )
    last = 1 if finished[str(ids[-2])] > finished[str(ids[-1])] else 2
    assert f"six times (revision {last})" in state[base_slug]["text"]
    assert f"six times (revision {3 - last})" not in state[base_slug]["text"]
    assert all(ref in entries for d in state.values() for ref in d["people"] if ref)  # every @ref resolves
    assert register.find(".//tei:listPerson", NS) is not None
