"""Keep the merge redirects when the register is loaded from TEI (``manage.py load``).

A merge writes ``note[@type='retired-id'][@n='<old>'][@corresp='#<survivor>']`` to the
register; a database built from the published files gets its ``EntityRedirect`` rows
back from those notes once the register's transaction has committed.
"""

from __future__ import annotations

from django.db import transaction

from reader.entities.models import Entity
from reader.tei.parsing import from_string, retired_register_ids
from reader.texts.models import CorpusFile

from .models import EntityRedirect


def register_saved(sender, instance: CorpusFile, **kwargs) -> None:
    if instance.kind == CorpusFile.Kind.REGISTER:
        transaction.on_commit(lambda: redirects_from_register(instance.pk))


def redirects_from_register(corpus_file_pk) -> int:
    """Create the redirects the register records and the database lacks; returns how many."""
    register = CorpusFile.objects.filter(pk=corpus_file_pk).first()
    if register is None:
        return 0
    retired = retired_register_ids(from_string(register.skeleton, register.path))
    wanted = {old: (survivor, name) for old, (name, survivor) in retired.items() if survivor}
    known = set(EntityRedirect.objects.filter(old_xml_id__in=wanted).values_list("old_xml_id", flat=True))
    known |= set(Entity.objects.filter(xml_id__in=wanted).values_list("xml_id", flat=True))  # live again: no redirect
    survivors = {e.xml_id: e for e in Entity.objects.filter(xml_id__in=[s for s, _ in wanted.values()])}
    created = [
        EntityRedirect(old_xml_id=old, old_name=name[:500], entity=survivors[survivor])
        for old, (survivor, name) in wanted.items()
        if old not in known and survivor in survivors
    ]
    EntityRedirect.objects.bulk_create(created)
    return len(created)
