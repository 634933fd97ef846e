"""Training spaCy's entity recogniser on the annotated corpus (``manage.py train``).

The examples are the corpus's own units with their mentions (annotators' and the pipeline's):
``persName`` -> PERSON, ``placeName`` -> GPE, ``orgName`` -> ORG, ``date`` -> DATE. So that
the model does not forget what the corpus does not mark (NORP, EVENT, WORK_OF_ART …), the stock
model's own entities of those labels, where they overlap no mention, are kept in each example
(pseudo-rehearsal). Only the ``ner`` component is updated, from the installed English model,
with a fixed seed and a fixed number of passes: the same corpus gives the same model. Nothing
is downloaded.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Iterable

from lxml import etree

from ..textmap import TextMap, element_span
from ..vocabulary import MENTION_KIND_OF, MENTION_TAGS, mention_key
from .mentions import inside_noise, recognition_units, unit_language  # the stage's own notion of units
from .recognise import english_pipeline

LABEL_OF_TAG = {k.name_tag: k.spacy_labels[0] for k in MENTION_KIND_OF.values() if k.recognised and k.spacy_labels}
#: spaCy labels the corpus marks (as something of ours), which the corpus's own spans decide.
OURS = {label for k in MENTION_KIND_OF.values() if k.recognised for label in k.spacy_labels}


def training_examples(roots: Iterable[etree._Element]) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(unit text, [(start, end, label)]) for every English unit of the documents that has text."""
    out = []
    for root in roots:
        for unit in recognition_units(root):
            if unit_language(unit) not in (None, "en"):
                continue
            tmap = TextMap(unit)
            if not tmap.text.strip():
                continue
            spans = []
            for el in unit.iter(*MENTION_TAGS):
                if inside_noise(el, unit) or mention_key(el) not in LABEL_OF_TAG:  # a kind spaCy is not taught
                    continue
                span = element_span(tmap, el)
                if span:
                    spans.append((*span, LABEL_OF_TAG[mention_key(el)]))
            out.append((tmap.text, sorted(set(spans))))
    return out


def train(examples, out_dir: str | Path, *, seed: int = 0, passes: int = 12, dropout: float = 0.2) -> dict:
    """Update the stock model's ``ner`` on ``examples``; write the model to ``out_dir``; return figures."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = english_pipeline.__wrapped__()  # a fresh copy, not the cached pipeline the stage uses
    data = []
    for text, spans in examples:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=label, alignment_mode="contract") for s, e, label in spans]
        ents = [e for e in ents if e is not None]
        for ent in nlp(text).ents:  # rehearsal: keep what the corpus does not mark
            if ent.label_ not in OURS and not any(ent.start < e.end and e.start < ent.end for e in ents):
                ents.append(doc.char_span(ent.start_char, ent.end_char, label=ent.label_))
        ents = _no_overlaps(ents)
        data.append(Example.from_dict(doc, {"entities": [(e.start_char, e.end_char, e.label_) for e in ents]}))
    rng = random.Random(seed)
    losses_by_pass = []
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for _ in range(passes):
            rng.shuffle(data)
            losses: dict = {}
            for batch in spacy.util.minibatch(data, size=8):
                nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
            losses_by_pass.append(round(float(losses.get("ner", 0.0)), 1))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return {"examples": len(data), "mentions": sum(len(s) for _t, s in examples), "losses": losses_by_pass}


def _no_overlaps(ents):
    kept = []
    for ent in sorted(ents, key=lambda e: (e.start, -(e.end - e.start))):
        if all(ent.start >= k.end or ent.end <= k.start for k in kept):
            kept.append(ent)
    return kept
