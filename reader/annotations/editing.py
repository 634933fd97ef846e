"""Annotators' changes to mentions and register entries, each one transaction.

Every function takes the user making the change, records it as theirs
(``@resp="#annotator-<username>"``, and the history row's user and time
through django-simple-history), checks its input first and raises
:class:`AnnotationError` with a clear message before anything is written.

Stale edits are refused: a form carries the *version* of the row it showed
(:func:`mention_version`, :func:`entity_version`), and the change is applied
only if the row, locked with ``select_for_update``, still has that version
(:class:`EditConflict` says who changed what meanwhile).

Each change first locks the ``CorpusFile`` rows it touches (:func:`lock_files`:
the register's when it creates, links, changes or rejects register entries,
then its documents'), in the order ``load``, ``export`` and publish use too: a
save during a load either lands before it (and load leaves the file alone) or
waits and is told that the document was reloaded, and no two writers deadlock.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from lxml import etree

from reader.entities.models import AuthorityId, Entity, EntityName
from reader.tei.slugs import NAME, slugify
from reader.tei.parsing import from_string, to_string
from reader.tei.rendering import UnitRenderer
from reader.tei.textmap import wrap
from reader.tei.vocabulary import KINDS, MENTION_KIND_OF, MENTION_TAGS, PIPELINE, REGISTER_FILE, mention_kind
from reader.tei.writing import apply_mentions
from reader.tei.xml import NS, XML_ID, TEIError, parse_file, tei
from reader.texts.exporter import mention_data
from reader.texts.locking import lock_files
from reader.texts.models import CorpusFile, Mention, Paragraph

from .models import EntityRedirect, RejectedSuggestion

#: Mention kind → TEI element (``persName`` …), as the register's rejections name them.
TAG_OF_KIND = {k.name: k.name_tag for k in MENTION_KIND_OF.values()}
#: ISO 8601 dates as the date rules write them (``1942``, ``1942-05``, ``1942-05-30``, ``--07-07``).
ISO_DATE = re.compile(
    r"^(-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?|--(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)$",
    re.ASCII,  # \d would accept ١٩٤٠, which is not a valid @when
)


class AnnotationError(ValueError):
    """A change refused because its input is wrong; nothing was saved."""


class EditConflict(AnnotationError):
    """Someone else changed the row since the form was shown; nothing was saved."""


def resp_for(user) -> str:
    """``#annotator-<username>``, the username reduced to characters safe in a pointer."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", user.get_username()).strip("-") or "unknown"
    return f"#annotator-{name}"


def _as_user(instance, user):
    """Make simple-history record ``user`` for the next save or delete of ``instance``."""
    instance._history_user = user
    return instance


# --------------------------------------------------------------------------- versions


def mention_version(mention: Mention) -> str:
    """The mention's state as a token a form carries back."""
    state = {f: getattr(mention, f) for f in ("kind", "start", "end", "resp", "cert", "when", "date_from", "date_to")}
    state["entity"] = mention.entity.xml_id if mention.entity_id else ""
    return json.dumps(state, sort_keys=True, separators=(",", ":"))


def entity_version(entity: Entity) -> str:
    """The register entry's state (fields, names, authority ids) as a token a form carries back."""
    state = {
        "kind": entity.kind,
        "name": entity.name,
        "note": entity.note,
        "resp": entity.resp,
        "names": sorted([n.name, n.lang, n.type] for n in EntityName.objects.filter(entity=entity)),
        "ids": sorted([a.scheme, a.value] for a in AuthorityId.objects.filter(entity=entity)),
    }
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _differences(old_token: str, new_token: str) -> list[str]:
    try:
        old = json.loads(old_token)
    except ValueError:
        return ["(the form carried no readable version)"]
    new = json.loads(new_token)
    return [f"{key}: {old.get(key)!r} → {new.get(key)!r}" for key in sorted(new) if old.get(key) != new.get(key)]


def _last_change(*histories) -> tuple[str, str]:
    """(who, when) of the latest of these history records."""
    latest = None
    for history in histories:
        record = history.order_by("-history_date").select_related("history_user").first()
        if record is not None and (latest is None or record.history_date > latest.history_date):
            latest = record
    if latest is None:
        return "someone", "just now"
    who = latest.history_user.get_username() if latest.history_user else "a script"
    return who, f"at {latest.history_date:%Y-%m-%d %H:%M:%S} UTC"


def ensure_baseline(instance) -> None:
    """Give a row loaded in bulk (no history yet) a first history record, so its loaded state can be restored."""
    if not instance.history.exists():
        instance.history.bulk_history_create([instance], default_change_reason="as loaded from TEI")


def check_mention_version(mention: Mention, version: str | None) -> None:
    """Refuse if ``mention`` (locked by the caller) no longer has ``version``."""
    if version is None:
        return
    current = mention_version(mention)
    if version != current:
        who, when = _last_change(Mention.history.filter(id=mention.pk))
        raise EditConflict(
            f"Not saved: {who} changed the mention {mention.surface!r} {when}, while you were editing it "
            f"({'; '.join(_differences(version, current))}). Look at its current state and make your change again."
        )


def check_entity_version(entity: Entity, version: str | None) -> None:
    """Refuse if ``entity`` (locked by the caller) no longer has ``version``."""
    if not version:
        return
    current = entity_version(entity)
    if version != current:
        who, when = _last_change(
            Entity.history.filter(id=entity.pk),
            EntityName.history.filter(entity_id=entity.pk),
            AuthorityId.history.filter(entity_id=entity.pk),
        )
        raise EditConflict(
            f"Not saved: {who} changed {entity.name} ({entity.xml_id}) {when}, while you were editing it "
            f"({'; '.join(_differences(version, current))}). Reload the page to see the current entry and make "
            "your change again."
        )


#: Said when the mention or paragraph a form showed was replaced by a load of its TEI file.
RELOADED = (
    "Not saved: the document was reloaded from its TEI file while you were editing it, so the mention "
    "you chose is no longer there. Nothing was changed; reload the page and make your change again."
)


def locked_mention(pk, version: str | None = None) -> Mention:
    """The mention, locked for this transaction, checked against ``version``."""
    mention = Mention.objects.select_for_update().filter(pk=pk).first()
    if mention is None:
        deleted = Mention.history.filter(id=pk, history_type="-", history_user__isnull=False)
        if not deleted.exists():  # gone without an annotator: a load replaced the document's mentions
            raise EditConflict(RELOADED)
        who, when = _last_change(deleted)
        raise EditConflict(f"Not saved: {who} deleted the mention {when}, while you were editing it.")
    check_mention_version(mention, version)
    ensure_baseline(mention)
    return mention


# --------------------------------------------------------------------------- paragraph HTML


def _entity_url(ref: str) -> str:
    return reverse("texts:entity", args=[ref])


def refresh_paragraph(paragraph: Paragraph) -> None:
    """Re-render the paragraph's reading HTML from its current mentions (the reader shows it)."""
    mentions = [mention_data(m) for m in paragraph.mentions.select_related("entity").order_by("start")]
    element = apply_mentions(from_string(paragraph.tei, str(paragraph)), mentions)
    html = UnitRenderer(entity_url=_entity_url).render(element)
    Paragraph.objects.filter(pk=paragraph.pk).update(html=html)


# --------------------------------------------------------------------------- spans


def _bare_unit(paragraph: Paragraph) -> etree._Element:
    el = copy.deepcopy(from_string(paragraph.tei, str(paragraph)))
    for m in [m for m in el.iter(*MENTION_TAGS) if mention_kind(m)]:  # as apply_mentions strips them
        m.tag = "stripped-mention"
    etree.strip_tags(el, "stripped-mention")
    return el


def clean_span(paragraph: Paragraph, start: int, end: int, exclude: int | None = None) -> tuple[int, int]:
    """The span without surrounding spaces, after checking it can be a mention of ``paragraph``."""
    text = paragraph.text
    where = f"paragraph {paragraph.xml_id} of {paragraph.document.slug}"
    if start < 0 or end > len(text):
        raise AnnotationError(
            f"A mention must lie inside one paragraph: characters {start}–{end} cross the boundary of {where} "
            f"({len(text)} characters)."
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        raise AnnotationError(f"A mention cannot be empty: the span {start}–{end} of {where} has no words.")
    others = paragraph.mentions.filter(start__lt=end, end__gt=start)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = others.first()
    if clash is not None:
        raise AnnotationError(
            f"{text[start:end]!r} overlaps the {clash.get_kind_display().lower()} mention {clash.surface!r} "
            f"(characters {clash.start}–{clash.end}); change or delete that one first."
        )
    if wrap(_bare_unit(paragraph), start, end, MENTION_TAGS[0], {}) is None:
        raise AnnotationError(
            f"{text[start:end]!r} cannot be marked in {where}: it would cross the edge of other markup "
            "(a foreign-language passage, emphasis, or a note such as a scraped tooltip). Select words inside it."
        )
    return start, end


@dataclass
class MentionValues:
    """What a form says a mention should be."""

    kind: str
    entity: Entity | None = None
    new_entity_name: str = ""
    when: str = ""
    date_from: str = ""
    date_to: str = ""


def _check_values(values: MentionValues) -> None:
    if values.kind not in TAG_OF_KIND:
        raise AnnotationError(f"Unknown kind of mention {values.kind!r}; choose one of {', '.join(TAG_OF_KIND)}.")
    if values.kind == Mention.Kind.DATE:
        if values.entity is not None or values.new_entity_name:
            raise AnnotationError("A date is not linked to a register entry; leave the entity empty.")
        for label, value in (("when", values.when), ("from", values.date_from), ("to", values.date_to)):
            if value and not ISO_DATE.match(value):
                raise AnnotationError(
                    f"The date's {label} {value!r} is not an ISO 8601 date in digits 0-9 (1942, 1942-05, 1942-05-30, --07-07)."
                )
        if not values.when and not (values.date_from and values.date_to):
            raise AnnotationError("A date needs its value: give 'when', or both 'from' and 'to'.")
        if values.when and (values.date_from or values.date_to):
            raise AnnotationError("Give a date either 'when' or 'from'/'to', not both.")
        return
    if values.when or values.date_from or values.date_to:
        raise AnnotationError("Only dates have when/from/to values.")
    if values.entity is None and not values.new_entity_name.strip():
        raise AnnotationError("Link the mention to a register entry, or give the name of a new entry.")
    if values.entity is not None and values.entity.kind != values.kind:
        raise AnnotationError(
            f"{values.entity.name} ({values.entity.xml_id}) is {with_article(values.entity.get_kind_display().lower())} "
            f"entry; {with_article(Mention.Kind(values.kind).label.lower())} mention cannot point to it."
        )


def _entity_for(user, values: MentionValues) -> Entity | None:
    if values.kind == Mention.Kind.DATE:
        return None
    if values.entity is not None:
        return values.entity
    return create_entity(user, values.kind, values.new_entity_name.strip())


def _set_values(mention: Mention, values: MentionValues, entity: Entity | None, resp: str) -> None:
    mention.kind = values.kind
    mention.entity = entity
    mention.ref = entity.xml_id if entity else ""
    mention.when, mention.date_from, mention.date_to = values.when, values.date_from, values.date_to
    mention.resp = resp
    mention.cert = ""


# --------------------------------------------------------------------------- mentions


def lock_files_of(mention_pks, register: bool = False) -> None:
    """Lock the file rows of the mentions' documents (and first the register's): see the module docstring."""
    lock_files(register, set(Mention.objects.filter(pk__in=list(mention_pks)).values_list("document_id", flat=True)))


def links_entity(values: MentionValues) -> bool:
    """Whether the change links a mention to a register entry (or makes one): the register's row is locked."""
    return values.kind != Mention.Kind.DATE


def add_mention(user, paragraph: Paragraph, start: int, end: int, values: MentionValues) -> Mention:
    """Mark characters ``start:end`` of the paragraph's text (as ``paragraph`` had it) as a mention."""
    _check_values(values)
    with transaction.atomic():
        lock_files(links_entity(values), [paragraph.document_id])
        shown = paragraph.text
        paragraph = Paragraph.objects.select_for_update().select_related("document").filter(pk=paragraph.pk).first()
        if paragraph is None or paragraph.text != shown:  # offsets into a text that a load replaced
            raise EditConflict(RELOADED.replace("the mention you chose is", "the words you chose are"))
        start, end = clean_span(paragraph, start, end)
        entity = _entity_for(user, values)
        mention = Mention(
            paragraph=paragraph, document=paragraph.document, start=start, end=end, surface=paragraph.text[start:end]
        )
        _set_values(mention, values, entity, resp_for(user))
        _as_user(mention, user).save()
        refresh_paragraph(paragraph)
    return mention


def change_mention(user, pk, version: str | None, values: MentionValues) -> Mention:
    """Retype or relink a mention (or give a date its value); it becomes the annotator's."""
    _check_values(values)
    with transaction.atomic():
        lock_files_of([pk], register=links_entity(values))
        mention = locked_mention(pk, version)
        entity = _entity_for(user, values)
        _set_values(mention, values, entity, resp_for(user))
        _as_user(mention, user).save()
        refresh_paragraph(mention.paragraph)
    return mention


def accept_mentions(user, pks, versions: dict | None = None) -> int:
    """Confirm pipeline suggestions as they are: they become the annotator's."""
    versions = versions or {}
    count = 0
    with transaction.atomic():
        lock_files_of(pks)
        paragraphs = {}
        for pk in pks:
            mention = locked_mention(pk, versions.get(pk))
            if mention.resp != PIPELINE:
                continue
            mention.resp, mention.cert = resp_for(user), ""
            _as_user(mention, user).save()
            paragraphs[mention.paragraph_id] = mention.paragraph
            count += 1
        for paragraph in paragraphs.values():
            refresh_paragraph(paragraph)
    return count


def delete_mentions(user, pks, versions: dict | None = None, only_suggestions: bool = False) -> int:
    """Remove mentions and remember each as rejected, so recognition does not suggest it again.

    The register records a rejection per paragraph (words + element), so the
    pipeline's other suggestions of the same words and kind in that paragraph
    become the annotator's: a re-run keeps them instead of dropping them too.
    """
    versions = versions or {}
    with transaction.atomic():
        lock_files_of(pks, register=True)  # a rejection is noted in the register
        paragraphs, rejected = {}, set()
        for pk in pks:
            mention = locked_mention(pk, versions.get(pk))
            if only_suggestions and mention.resp != PIPELINE:
                raise EditConflict(
                    f"Not rejected: the mention {mention.surface!r} was confirmed by {mention.resp[1:]} meanwhile; "
                    "nothing was changed. Reload the page and choose again."
                )
            paragraph = mention.paragraph
            reject(user, paragraph, mention.surface, TAG_OF_KIND[mention.kind])
            rejected.add((paragraph.pk, mention.surface, mention.kind))
            _as_user(mention, user).delete()
            paragraphs[paragraph.pk] = paragraph
        for paragraph_pk, surface, kind in rejected:
            same = Mention.objects.select_for_update().filter(
                paragraph_id=paragraph_pk, surface=surface, kind=kind, resp=PIPELINE
            )
            for mention in same:
                mention.resp, mention.cert = resp_for(user), ""
                _as_user(mention, user).save()
        for paragraph in paragraphs.values():
            refresh_paragraph(paragraph)
    return len(pks)


def reject(user, paragraph: Paragraph, text: str, tag: str) -> RejectedSuggestion:
    """Record that ``text`` is not a ``tag`` in this paragraph (table and register TEI)."""
    scope = f"{paragraph.document.slug}#{paragraph.xml_id}"
    rejection, created = RejectedSuggestion.objects.get_or_create(
        scope=scope,
        text=text,
        tag=tag,
        defaults={"document": paragraph.document, "paragraph": paragraph, "resp": resp_for(user), "user": user},
    )
    if created:
        _add_register_note(
            "rejected", {"type": "rejected", "resp": rejection.resp, "subtype": tag, "target": scope}, text
        )
    return rejection


# --------------------------------------------------------------------------- register entries


def _taken_ids() -> set[str]:
    taken = set(Entity.objects.values_list("xml_id", flat=True))
    taken |= set(EntityRedirect.objects.values_list("old_xml_id", flat=True))
    register = _register_skeleton()
    if register is not None:
        taken |= {n.get("n") for n in register.iterfind(".//tei:note[@type='retired-id']", NS)}
    return taken | _ids_on_disk()


def _ids_on_disk() -> set[str]:
    """Ids of the register file on disk: an ingest may have given ids that no load has brought here yet,
    and publish keeps its entries (an annotator's new entry must not take one of their ids)."""
    try:
        root = parse_file(Path(settings.CORPUS_TEI_DIR) / REGISTER_FILE)
    except (OSError, TEIError):
        return set()
    return {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)} | {
        n.get("n") for n in root.iterfind(".//tei:note[@type='retired-id']", NS)
    }


def create_entity(user, kind: str, name: str, note: str = "") -> Entity:
    """A new register entry made by the annotator, with a fresh, never-used id."""
    if kind not in KINDS:
        raise AnnotationError(
            f"Only {', '.join(k.plural for k in KINDS.values())} have register entries, not {kind!r}."
        )
    name = " ".join(name.split())
    if not name:
        raise AnnotationError("A new register entry needs a name.")
    entity = Entity(
        xml_id=mint_entity_id(kind, name),
        kind=kind,
        name=name[:500],
        note=note,
        resp=resp_for(user),
        position=next_position(),
    )
    _as_user(entity, user).save()
    return entity


def mint_entity_id(kind: str, name: str) -> str:
    """``per-<name>``, with ``-2``, ``-3`` … when taken now or ever before (ids are never reused)."""
    base = f"{KINDS[kind].prefix}-{slugify(name, NAME)}"
    taken = _taken_ids()
    xml_id, n = base, 1
    while xml_id in taken:
        n += 1
        xml_id = f"{base}-{n}"
    return xml_id


def next_position() -> int:
    """Place in the register file for a new entry: after the others."""
    return (Entity.objects.aggregate(m=Max("position"))["m"] or 0) + 1


def mark_reviewed(user, entities) -> int:
    """The entries are confirmed by the annotator (recognition will not change them)."""
    resp = resp_for(user)
    count = 0
    with transaction.atomic():
        lock_files(register=True)
        for entity in Entity.objects.select_for_update().filter(pk__in=[e.pk for e in entities]):
            ensure_baseline(entity)
            if entity.resp != resp:
                entity.resp = resp
                _as_user(entity, user).save()
                count += 1
    return count


def delete_entities(user, entities) -> None:
    """Remove register entries nothing mentions; their ids stay retired (never given to another entity)."""
    with transaction.atomic():
        lock_files(register=True)
        for entity in entities:
            if entity.mentions.exists():
                raise AnnotationError(
                    f"{entity.name} ({entity.xml_id}) still has mentions; relink or delete them first."
                )
            _add_register_note("retired-ids", {"type": "retired-id", "n": entity.xml_id}, entity.name)
            _as_user(entity, user).delete()


def merge_entities(user, survivor: Entity, others) -> Entity:
    """Fold ``others`` into ``survivor``: mentions, names, ids and notes move; old ids redirect."""
    others = list(others)
    if not others:
        raise AnnotationError("Choose at least one other entity to merge into the surviving one.")
    if any(o.pk == survivor.pk for o in others):
        raise AnnotationError(f"{survivor.name} ({survivor.xml_id}) cannot be merged with itself.")
    with transaction.atomic():
        lock_files_of(Mention.objects.filter(entity__in=others).values_list("pk", flat=True), register=True)
        locked = {
            e.pk: e for e in Entity.objects.select_for_update().filter(pk__in=[survivor.pk, *(o.pk for o in others)])
        }
        if len(locked) != len(others) + 1:
            raise EditConflict("Not merged: one of the entities was deleted meanwhile. Reload the list and try again.")
        survivor = locked[survivor.pk]
        others = [locked[o.pk] for o in others]
        _check_mergeable(survivor, others)
        for entity in locked.values():
            ensure_baseline(entity)
        names = [survivor.name, *survivor.names.values_list("name", flat=True)]
        position = survivor.names.count()
        touched = set()
        for other in others:
            for name, lang, kind in [(other.name, "", "variant"), *other.names.values_list("name", "lang", "type")]:
                if name not in names:
                    names.append(name)
                    _as_user(
                        EntityName(entity=survivor, name=name, lang=lang, type=kind or "variant", position=position),
                        user,
                    ).save()
                    position += 1
            have = set(survivor.authority_ids.values_list("scheme", "value"))
            for authority in other.authority_ids.all():
                if (authority.scheme, authority.value) not in have:
                    _as_user(AuthorityId(entity=survivor, scheme=authority.scheme, value=authority.value), user).save()
            if other.note and other.note not in survivor.note:
                survivor.note = "\n".join(filter(None, [survivor.note, other.note]))
            for mention in Mention.objects.select_for_update().filter(entity=other):
                mention.entity, mention.ref = survivor, survivor.xml_id
                _as_user(mention, user).save()
                touched.add(mention.paragraph_id)
            EntityRedirect.objects.filter(entity=other).update(entity=survivor)
            EntityRedirect.objects.create(old_xml_id=other.xml_id, old_name=other.name, entity=survivor, user=user)
            _add_register_note(
                "retired-ids", {"type": "retired-id", "n": other.xml_id, "corresp": f"#{survivor.xml_id}"}, other.name
            )
            _as_user(other, user).delete()
        survivor.resp = resp_for(user)
        _as_user(survivor, user).save()
        for paragraph in Paragraph.objects.filter(pk__in=touched).select_related("document"):
            refresh_paragraph(paragraph)
    return survivor


def with_article(word: str) -> str:
    """``word`` with its indefinite article: "an organisation", "a place"."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _check_mergeable(survivor: Entity, others: list[Entity]) -> None:
    for other in others:
        if other.kind != survivor.kind:
            raise AnnotationError(
                f"{other.name} ({other.xml_id}) is {with_article(other.get_kind_display().lower())} and {survivor.name} "
                f"({survivor.xml_id}) {with_article(survivor.get_kind_display().lower())}: only entries of one kind "
                "can be merged."
            )
    by_scheme: dict[str, set[str]] = {}
    for entity in [survivor, *others]:
        for scheme, value in entity.authority_ids.values_list("scheme", "value"):
            by_scheme.setdefault(scheme, set()).add(value)
    clashes = {scheme: values for scheme, values in by_scheme.items() if len(values) > 1}
    if clashes:
        listed = "; ".join(f"{scheme}: {', '.join(sorted(values))}" for scheme, values in sorted(clashes.items()))
        raise AnnotationError(
            f"Not merged: the entries have different authority ids ({listed}), so the authority files say they are "
            "different entities. Remove the wrong id first."
        )


def split_entity(user, entity: Entity, name: str, mention_pks, name_pks=()) -> Entity:
    """Move some mentions (and variant names) of ``entity`` to a new entry called ``name``."""
    mention_pks, name_pks = list(mention_pks), list(name_pks)
    if not mention_pks:
        raise AnnotationError("Choose the mentions that belong to the new entry.")
    with transaction.atomic():
        lock_files_of(mention_pks, register=True)
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        ensure_baseline(entity)
        mentions = list(Mention.objects.select_for_update().filter(pk__in=mention_pks, entity=entity))
        if len(mentions) != len(set(mention_pks)):
            raise EditConflict(
                f"Not split: some of the chosen mentions no longer point to {entity.name}. Reload the page."
            )
        new = create_entity(user, entity.kind, name)
        resp = resp_for(user)
        for mention in mentions:
            mention.entity, mention.ref, mention.resp, mention.cert = new, new.xml_id, resp, ""
            _as_user(mention, user).save()
        for position, variant in enumerate(EntityName.objects.filter(pk__in=name_pks, entity=entity)):
            variant.entity, variant.position = new, position
            _as_user(variant, user).save()
        entity.resp = resp
        _as_user(entity, user).save()
        for paragraph in Paragraph.objects.filter(mentions__in=mentions).distinct().select_related("document"):
            refresh_paragraph(paragraph)
    return new


# --------------------------------------------------------------------------- the register file


def _register_file() -> CorpusFile | None:
    return CorpusFile.objects.filter(kind=CorpusFile.Kind.REGISTER).order_by("path").first()


def _register_skeleton() -> etree._Element | None:
    register = _register_file()
    return from_string(register.skeleton, register.path) if register is not None else None


def _add_register_note(list_type: str, attrs: dict[str, str], text: str) -> None:
    """Append ``note`` to the register's ``listAnnotation[@type=list_type]`` (export writes it)."""
    register = CorpusFile.objects.select_for_update().filter(kind=CorpusFile.Kind.REGISTER).order_by("path").first()
    if register is None:
        return  # no register loaded: the table row alone records it
    root = from_string(register.skeleton, register.path)
    stand_off = root.find("tei:standOff", NS)
    if stand_off is None:
        stand_off = etree.SubElement(root, tei("standOff"))
    listing = stand_off.find(f"tei:listAnnotation[@type='{list_type}']", NS)
    if listing is None:
        listing = etree.SubElement(stand_off, tei("listAnnotation"), type=list_type)
        _indent_like_siblings(listing)
    note = etree.SubElement(listing, tei("note"), {k: v for k, v in attrs.items() if v})
    note.text = text
    _indent_like_siblings(note)
    register.skeleton = to_string(root)
    register.save(update_fields=["skeleton"])


def _indent_like_siblings(el: etree._Element) -> None:
    """Give a new last child the indentation of its siblings, so the TEI diff stays one line."""
    parent = el.getparent()
    previous = el.getprevious()
    depth = sum(1 for _ in el.iterancestors())
    inner = "\n" + "  " * depth
    if previous is not None:
        el.tail = previous.tail
        previous.tail = inner
    else:
        el.tail = parent.text if parent.text and not parent.text.strip() else "\n" + "  " * (depth - 1)
        parent.text = inner


def redirect_for(xml_id: str) -> Entity | None:
    """The entity a merged-away register id now leads to (for the reader's entity page)."""
    redirect = EntityRedirect.objects.select_related("entity").filter(old_xml_id=xml_id).first()
    return redirect.entity if redirect else None
