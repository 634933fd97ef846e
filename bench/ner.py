"""Score the entity stage against hand-annotated text: python bench/ner.py [--runs N].

Reads bench/data/ner/*.txt (paragraphs with [[tag:text]] gold markup, see
bench/README.md), builds a small TEI document from each, runs
``EntityStage`` with the curated seed register (no corpus register), and
prints precision, recall and F1 per entity type (exact span and type) and
words per second (median over the runs). The reference in the same run is
spaCy's English pipeline alone (its labels mapped to our four types), so the
table shows what the register, the place list and the rules add.
Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.tei.entities import EntityStage, Register  # noqa: E402
from reader.tei.textmap import TextMap, element_span  # noqa: E402
from reader.tei.entities.places import known_place  # noqa: E402
from reader.tei.entities.recognise import english_pipeline, ner_pipeline  # noqa: E402
from reader.tei.xml import NS, parse_bytes  # noqa: E402

DATA = ROOT / "bench" / "data" / "ner"
TAGS = ("persName", "placeName", "orgName", "date")
GOLD = re.compile(r"\[\[(persName|placeName|orgName|date):(.+?)\]\]")


#: Pooled groups of samples, by file-name prefix.
GROUPS = {
    "heldout": "passages written for the benchmark (heldout*.txt)",
    "real": "real public texts, scored once before any fix they prompted (real-*.txt)",
    "prose": "nineteenth-century prose (Darwin, Austen), scored once before any fix they prompted (prose-*.txt)",
    "final": "real public texts never tuned on, scored once at the end (final-*.txt, only with --final)",
}


def group_of(path: Path) -> str:
    return next((g for g in GROUPS if path.stem.startswith(g)), path.stem)


def read_sample(path: Path) -> list[tuple[str | None, str, set]]:
    """Paragraphs as (language, plain text, {(start, end, tag)})."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    paragraphs = [p.strip() for p in "\n".join(lines).split("\n\n") if p.strip()]
    out = []
    for para in paragraphs:
        lang = None
        if para.startswith("@ru "):
            lang, para = "ru", para[4:]
        text, gold, pos = [], set(), 0
        for m in GOLD.finditer(para):
            text.append(para[pos : m.start()])
            start = sum(map(len, text))
            text.append(m.group(2))
            gold.add((start, start + len(m.group(2)), m.group(1)))
            pos = m.end()
        text.append(para[pos:])
        out.append((lang, " ".join("".join(text).split()), gold))
    return out


def tei_for(sample) -> bytes:
    paras = []
    for i, (lang, text, _gold) in enumerate(sample, 1):
        attr = f' xml:lang="{lang}"' if lang else ""
        paras.append(f'<p xml:id="p{i}"{attr}>{escape(text)}</p>')
    return (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="bench"><teiHeader><fileDesc><titleStmt><title>bench</title>'
        "</titleStmt><publicationStmt><p>bench</p></publicationStmt><sourceDesc><p>bench</p></sourceDesc></fileDesc>"
        f'</teiHeader><text><body><div type="section">{"".join(paras)}</div></body></text></TEI>'
    ).encode("utf-8")


def gold_tei(sample) -> bytes:
    """``sample`` as a TEI document with its gold mentions marked (for ``manage.py train --tei-dir``)."""
    paras = []
    for i, (lang, text, gold) in enumerate(sample, 1):
        attr = f' xml:lang="{lang}"' if lang else ""
        out, pos = [], 0
        for start, end, tag in sorted(gold):
            if start < pos:
                continue  # a nested gold span: the outer one is kept
            out.append(escape(text[pos:start]) + f"<{tag}>{escape(text[start:end])}</{tag}>")
            pos = end
        out.append(escape(text[pos:]))
        paras.append(f'<p xml:id="p{i}"{attr}>{"".join(out)}</p>')
    return tei_for([("en", "", set())]).replace(b'<p xml:id="p1" xml:lang="en"></p>', "".join(paras).encode("utf-8"))


def write_gold_tei(folder: Path) -> None:
    """Every sample but the final ones as gold TEI in ``folder``: training data never scored as unseen."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [p for p in sorted(DATA.glob("*.txt")) if group_of(p) != "final"]
    for path in paths:
        (folder / f"{path.stem}.xml").write_bytes(gold_tei(read_sample(path)))
    print(f"{len(paths)} gold texts written to {folder} (final-*.txt left out)")


def predicted(root) -> list[set]:
    """(start, end, tag) of every mention, per paragraph."""
    out = []
    for p in root.find("tei:text/tei:body", NS).iter(f"{{{NS['tei']}}}p"):
        tmap = TextMap(p)
        spans = set()
        for el in p.iter(*[f"{{{NS['tei']}}}{t}" for t in TAGS]):
            span = element_span(tmap, el)
            if span:
                spans.add((*span, etree.QName(el).localname))
        out.append(spans)
    return out


#: spaCy's labels as our types (NORP, EVENT, WORK_OF_ART… are not entities here).
SPACY_AS_OURS = {
    "PERSON": "persName",
    "GPE": "placeName",
    "LOC": "placeName",
    "FAC": "placeName",
    "ORG": "orgName",
    "DATE": "date",
}


def spacy_alone(sample) -> tuple[list[set], float]:
    """The reference: spaCy's entities on each English paragraph (``nlp.pipe`` over the sample's English
    paragraphs, the installed model's whole pipeline), and the seconds it took."""
    nlp = english_pipeline()
    english = [text for lang, text, _g in sample if lang is None]
    t = time.perf_counter()
    parsed = iter(list(nlp.pipe(english, batch_size=32)))  # spaCy's own batching, its stock pipeline
    seconds = time.perf_counter() - t
    docs = [next(parsed) if lang is None else None for lang, _t, _g in sample]
    out = []
    for doc in docs:
        spans = set()
        for ent in doc.ents if doc is not None else ():
            tag = SPACY_AS_OURS.get(ent.label_)
            if tag:
                text = ent.text
                lead = len(text) - len(text.lstrip())
                if text.lower().startswith("the "):  # our guidelines leave a leading "the" outside
                    lead += 4
                spans.add((ent.start_char + lead, ent.end_char, tag))
        out.append(spans)
    return out, seconds


def score(gold: list[set], pred: list[set]) -> dict[str, tuple[int, int, int]]:
    counts = {t: [0, 0, 0] for t in (*TAGS, "all")}  # tp, fp, fn
    for g, p in zip(gold, pred):
        for tag in TAGS:
            gt = {s for s in g if s[2] == tag}
            pt = {s for s in p if s[2] == tag}
            for key in (tag, "all"):
                counts[key][0] += len(gt & pt)
                counts[key][1] += len(pt - gt)
                counts[key][2] += len(gt - pt)
    return counts


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per sample (median reported)")
    parser.add_argument("--errors", action="store_true", help="list false positives and misses")
    parser.add_argument(
        "--final",
        action="store_true",
        help="also score the final-*.txt texts (kept apart: scored once, at the end of a piece of work)",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="score only the samples whose name starts with this (comma-separated: several, pooled in their group)",
    )
    parser.add_argument(
        "--corpus",
        action="store_true",
        help="only count the corpus's mentions and linked entries (corpus/tei), as in the README",
    )
    parser.add_argument(
        "--darwin",
        action="store_true",
        help="only list the entities found in Darwin's chapter I, six editions (tests/data/origin-ch1)",
    )
    parser.add_argument(
        "--trained",
        default=None,
        metavar="DIR",
        help="also score the stage with the model manage.py train wrote to DIR",
    )
    parser.add_argument(
        "--gold-tei",
        default=None,
        metavar="DIR",
        help="only write every non-final sample as TEI with its gold mentions to DIR (manage.py train --tei-dir DIR)",
    )
    args = parser.parse_args(argv)
    if args.gold_tei:
        return write_gold_tei(Path(args.gold_tei))
    if args.corpus:
        return count_corpus()
    if args.darwin:
        return list_darwin()

    t0 = time.perf_counter()
    english_pipeline()
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    ner_pipeline()
    known_place("Riga")
    ours_load = time.perf_counter() - t0
    print(
        f"spaCy pipeline load: {load:.2f} s; the stage's (senter + ner) and the place list: {ours_load:.2f} s "
        "(once per process, not in the figures below)\n"
    )
    header = f"{'sample':<10} {'type':<10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}"
    pooled = {group: {t: [0, 0, 0] for t in (*TAGS, "all")} for group in GROUPS}
    pooled_spacy = {group: {t: [0, 0, 0] for t in (*TAGS, "all")} for group in GROUPS}
    pooled_trained = {group: {t: [0, 0, 0] for t in (*TAGS, "all")} for group in GROUPS}
    speed = {"ours": [0, 0.0], "spacy": [0, 0.0]}  # words, seconds
    paths = [p for p in sorted(DATA.glob("*.txt")) if args.final or group_of(p) != "final"]
    if args.only:
        paths = [p for p in paths if p.stem.startswith(tuple(args.only.split(",")))]
    for path in paths:
        sample = read_sample(path)
        data = tei_for(sample)
        words = sum(len(text.split()) for _l, text, _g in sample)
        timings, root = [], None
        for _ in range(args.runs):
            root = parse_bytes(data, path.name)
            stage = EntityStage(Register.seed())
            t = time.perf_counter()
            stage(root, None)
            timings.append(time.perf_counter() - t)
        gold = [g for _l, _t, g in sample]
        pred = predicted(root)
        counts = score(gold, pred)
        reference_runs = [spacy_alone(sample) for _ in range(args.runs)]
        reference = reference_runs[-1][0]
        spacy_seconds = statistics.median(seconds for _pred, seconds in reference_runs)
        reference_counts = score(gold, reference)
        group = group_of(path)
        if args.trained:
            trained_root = parse_bytes(data, path.name)
            EntityStage(Register.seed(), model_dir=args.trained)(trained_root, None)
            trained_counts = score(gold, predicted(trained_root))
            print(f"{'':<10} with the trained model: F1 {prf(*trained_counts['all'])[2]:.3f}")
            if group in GROUPS:
                for tag in trained_counts:
                    pooled_trained[group][tag] = [
                        a + b for a, b in zip(pooled_trained[group][tag], trained_counts[tag])
                    ]
        if group in GROUPS:
            for tag in counts:
                pooled[group][tag] = [a + b for a, b in zip(pooled[group][tag], counts[tag])]
                pooled_spacy[group][tag] = [a + b for a, b in zip(pooled_spacy[group][tag], reference_counts[tag])]
        print_table(header, path.stem, counts)
        median = statistics.median(timings)
        speed["ours"] = [speed["ours"][0] + words, speed["ours"][1] + median]
        speed["spacy"] = [speed["spacy"][0] + words, speed["spacy"][1] + spacy_seconds]
        print(f"{'':<10} spaCy alone: F1 {prf(*reference_counts['all'])[2]:.3f} (ours {prf(*counts['all'])[2]:.3f})")
        print(
            f"{path.stem:<10} {words} words, median {median * 1000:.0f} ms over {args.runs} runs: "
            f"{words / median:,.0f} words/s\n"
        )
        if args.errors:
            for (lang, text, g), p in zip(sample, pred):
                for s in sorted(p - g):
                    print(f"  FP {s[2]:<9} {text[s[0] : s[1]]!r}")
                for s in sorted(g - p):
                    print(f"  FN {s[2]:<9} {text[s[0] : s[1]]!r}")
            print()
    for group, label in GROUPS.items():
        if not any(pooled[group]["all"]):
            continue
        print_table(header, group, pooled[group])
        print(f"({group}: {label}, pooled)")
        print_table(header, "spaCy", pooled_spacy[group])
        print("(the reference, same texts: spaCy's en_core_web_sm alone, PERSON/GPE+LOC+FAC/ORG/DATE)")
        trained = " trained" if args.trained else ""
        print(f"{group + ' F1':<12} {'ours':>6} {'spaCy':>6} {'ratio':>6}{trained}")
        for tag in (*TAGS, "all"):
            ours, ref = prf(*pooled[group][tag])[2], prf(*pooled_spacy[group][tag])[2]
            extra = f" {prf(*pooled_trained[group][tag])[2]:>7.3f}" if args.trained else ""
            print(f"{tag:<12} {ours:>6.3f} {ref:>6.3f} {ours / ref if ref else float('inf'):>5.2f}x{extra}")
        if args.trained:
            print(f"(trained: the stage with the model in {args.trained}; ours: with spaCy's installed model)")
        print()
    ours_wps = speed["ours"][0] / speed["ours"][1]
    spacy_wps = speed["spacy"][0] / speed["spacy"][1]
    print(
        f"speed: ours {ours_wps:,.0f} words/s, spaCy alone (nlp.pipe, whole pipeline) {spacy_wps:,.0f} words/s: "
        f"ours at {ours_wps / spacy_wps:.2f} of spaCy's words per second"
    )


def list_darwin() -> None:
    """Every distinct mention the stage makes in each edition of Darwin's chapter I (no gold: read them)."""
    from collections import Counter

    found: dict[tuple[str, str], Counter] = {}
    editions = sorted((ROOT / "tests" / "data" / "origin-ch1").glob("*.txt"))
    for path in editions:
        paragraphs = [(None, " ".join(p.split()), set()) for p in path.read_text(encoding="utf-8").split("\n\n")]
        root = parse_bytes(tei_for([p for p in paragraphs if p[1]]), path.name)
        EntityStage(Register.seed())(root, None)
        for el in root.find("tei:text", NS).iter(*[f"{{{NS['tei']}}}{t}" for t in TAGS]):
            key = (" ".join("".join(el.itertext()).split()), etree.QName(el).localname)
            found.setdefault(key, Counter())[path.stem[-4:]] += 1
    years = [p.stem[-4:] for p in editions]
    judged = ROOT / "bench" / "data" / "darwin-false-entities.tsv"
    false = {tuple(line.split("\t")) for line in judged.read_text(encoding="utf-8").splitlines() if "\t" in line}
    print(f"{'mention':<40} {'type':<10} " + " ".join(f"{y:>5}" for y in years) + "  (x: judged false)")
    for (text, tag), counts in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        mark = "  x" if (text, tag) in false else ""
        print(f"{text[:40]:<40} {tag:<10} " + " ".join(f"{counts[y]:>5}" for y in years) + mark)
    print(
        f"{len(found)} distinct mentions; per edition: "
        + ", ".join(f"{y} {sum(c[y] for c in found.values())}" for y in years)
    )
    wrong = {k: c for k, c in found.items() if k in false}
    print(
        f"judged false ({judged.name}): {len(wrong)} distinct; per edition: "
        + ", ".join(f"{y} {sum(c[y] for c in wrong.values())}" for y in years)
    )


def count_corpus() -> None:
    """Mentions per type in corpus/tei and the register entries they link to."""
    from reader.tei.xml import parse_file

    mentions = {t: 0 for t in TAGS}
    linked = {t: set() for t in TAGS if t != "date"}
    for path in sorted((ROOT / "corpus" / "tei").glob("*.xml")):
        if path.name == "register.xml":
            continue
        for el in parse_file(path).find("tei:text", NS).iter(*[f"{{{NS['tei']}}}{t}" for t in TAGS]):
            tag = etree.QName(el).localname
            mentions[tag] += 1
            if tag in linked and el.get("ref"):
                linked[tag].add(el.get("ref"))
    print(
        ", ".join(f"{n} {t}" for t, n in mentions.items()),
        "mentions; linked to",
        ", ".join(f"{len(refs)} {t} entries" for t, refs in linked.items()),
    )


def print_table(header: str, name: str, counts: dict) -> None:
    print(header)
    for tag in (*TAGS, "all"):
        tp, fp, fn = counts[tag]
        p, r, f = prf(tp, fp, fn)
        print(f"{name:<10} {tag:<10} {tp + fn:>5} {tp + fp:>5} {p:>6.3f} {r:>6.3f} {f:>6.3f}")


if __name__ == "__main__":
    main()
