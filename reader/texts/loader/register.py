"""The register's rows: entities with their names and authority ids, and the mentions that point to them."""

from __future__ import annotations

from reader.tei.parsing import RegisterData


class RegisterRows:
    """The register part of :class:`~reader.texts.loader.corpus.CorpusLoader`."""

    def save_register(self, relative: str, sha: str, register: RegisterData) -> str:
        from reader.entities.models import AuthorityId, Entity, EntityName

        from ..models import CorpusFile

        CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.REGISTER, "sha256": sha, "skeleton": register.skeleton}
        )
        existing = {e.xml_id: e for e in Entity.objects.all()}
        keep = set()
        for position, (data, xml) in enumerate(register.entries):
            keep.add(data.id)
            latitude, longitude = data.geo or (None, None)
            fields = dict(
                kind=data.kind, name=data.name[:500], note=data.note, resp=data.resp, tei=xml, position=position
            )
            fields.update(latitude=latitude, longitude=longitude)
            entity = existing.get(data.id)
            if entity is None:
                entity = Entity.objects.create(xml_id=data.id, **fields)
            else:
                for key, value in fields.items():
                    setattr(entity, key, value)
                entity.save()
                entity.names.all().delete()
                entity.authority_ids.all().delete()
            EntityName.objects.bulk_create(
                EntityName(entity=entity, name=name[:500], lang=lang, type=kind, position=i)
                for i, (name, lang, kind) in enumerate(data.variants)
            )
            AuthorityId.objects.bulk_create(
                AuthorityId(entity=entity, scheme=scheme, value=value, position=i)
                for i, (scheme, value) in enumerate(dict.fromkeys(data.authority))
            )
        # Entries gone from the register: drop those nothing mentions.
        Entity.objects.exclude(xml_id__in=keep).filter(mentions__isnull=True).delete()
        self._link_mentions()
        return f"{len(register.entries)} entities"

    def _link_mentions(self) -> None:
        """Mentions loaded before their entity existed get linked now."""
        from reader.entities.models import Entity

        from ..models import Mention

        ids = dict(Entity.objects.values_list("xml_id", "id"))
        for mention in Mention.objects.filter(entity__isnull=True).exclude(ref="").only("id", "ref"):
            if mention.ref in ids:
                Mention.objects.filter(pk=mention.pk).update(entity_id=ids[mention.ref])
