"""Forms of the annotator admin: register entries, authority ids, mentions, merge and split."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2
from django.forms.utils import flatatt, pretty_name

from reader.entities.models import AuthorityId, Entity
from reader.texts.locking import lock_files
from reader.texts.models import Mention

from .editing import ISO_DATE, AnnotationError, MentionValues, check_entity_version, ensure_baseline, entity_version

#: The form of an identifier in each authority file, with an example for the error message.
AUTHORITY_FORMS = {
    "wikidata": (re.compile(r"^Q[1-9]\d*$"), "Q211"),
    "geonames": (re.compile(r"^[1-9]\d*$"), "456172"),
    "viaf": (re.compile(r"^[1-9]\d*$"), "79148854"),
    "gnd": (re.compile(r"^\d{1,10}-?[0-9X]$"), "118540238"),
    "lcnaf": (re.compile(r"^n[bors]?\d{8,10}$"), "n79021164"),
}


def normalise_authority_id(scheme: str, value: str) -> tuple[str, str]:
    """(scheme, identifier) in their canonical form, or ValidationError naming the problem."""
    scheme = scheme.strip().lower()
    value = value.strip()
    if scheme not in AUTHORITY_FORMS:
        raise ValidationError(f"Unknown authority file {scheme!r}: use one of {', '.join(sorted(AUTHORITY_FORMS))}.")
    if value.startswith(("http://", "https://")):
        value = value.rstrip("/").rsplit("/", 1)[-1]  # a pasted link: its last segment is the id
    if scheme == "wikidata":
        value = value.upper()
    pattern, example = AUTHORITY_FORMS[scheme]
    if not pattern.match(value):
        raise ValidationError(f"{value!r} is not a {scheme} identifier (it looks like {example}).")
    return scheme, value


class AuthorityIdForm(forms.ModelForm):
    """An authority id, checked against the form of its authority file."""

    scheme = forms.ChoiceField(choices=[("", "---------")] + [(s, s) for s in sorted(AUTHORITY_FORMS)])

    class Meta:
        model = AuthorityId
        fields = ["scheme", "value"]

    def clean(self):
        data = super().clean()
        if data.get("scheme") and data.get("value"):
            try:
                data["scheme"], data["value"] = normalise_authority_id(data["scheme"], data["value"])
            except ValidationError as exc:
                self.add_error("value", exc)
        return data


#: Said when a save of an existing entry or mention carries no version: it cannot be checked, so it is refused.
MISSING_VERSION = (
    "Not saved: the form did not say which version of the entry it showed, so it could overwrite "
    "a newer change. Reload the page and make your change again."
)


class VersionedEntityForm(forms.ModelForm):
    """The register entry form, refusing a save over someone else's newer change.

    ``version`` holds the entry's state as the form showed it; ``clean``
    compares it with the row locked for this transaction (the admin saves in
    one), so of two annotators editing at once the second is refused.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    check_version = True

    class Meta:
        model = Entity
        fields = ["name", "kind", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = entity_version(self.instance)

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            lock_files(register=True)  # a new entry changes the register (the admin saves in one transaction)
        elif self.check_version:
            lock_files(register=True)  # before the entry: the order every writer keeps (editing.py)
            locked = Entity.objects.select_for_update().filter(pk=self.instance.pk).first()
            if locked is None:
                raise ValidationError(
                    "Not saved: this register entry was deleted or merged away meanwhile. Reload the list.",
                    code="conflict",
                )
            posted = self.data.get(self.add_prefix("version")) or None
            if posted is None:  # a stale or hand-made form must not overwrite what it never saw
                raise ValidationError(MISSING_VERSION, code="conflict")
            try:
                check_entity_version(locked, posted)
            except AnnotationError as exc:
                raise ValidationError(str(exc), code="conflict") from None
            ensure_baseline(locked)
            if data.get("kind") and data["kind"] != locked.kind and locked.mentions.exists():
                self.add_error(
                    "kind",
                    "This entry has mentions of its kind; retype them, or split the entry, before changing its kind.",
                )
        return data


class EntityInput(forms.CharField):
    """A register entry named by its id, its name, or ``Name (id)`` as the datalist offers it."""

    widget = forms.TextInput(attrs={"list": "register-entries", "size": 40, "autocomplete": "off"})
    _WITH_ID = re.compile(r"\((?P<id>[a-z]{3}-[^()\s]+)\)\s*$")

    def clean(self, value):
        value = " ".join((super().clean(value) or "").split())
        if not value:
            return None
        match = self._WITH_ID.search(value)
        ident = match.group("id") if match else value
        entity = Entity.objects.filter(xml_id=ident).first()
        if entity is not None:
            return entity
        named = list(Entity.objects.filter(name=value)[:2]) or list(
            Entity.objects.filter(names__name=value).distinct()[:2]
        )
        if len(named) == 1:
            return named[0]
        if named:
            raise ValidationError(f"Several register entries are called {value!r}; pick one by its id from the list.")
        raise ValidationError(
            f"No register entry is called {value!r}. Pick one from the list, or give a new entry's name."
        )


class MentionFieldsForm(forms.Form):
    """What a mention is: kind, register entry (or a new one), date values."""

    #: The add form: Django's Jinja2 widget templates render it several
    #: times faster than its template engine (same HTML, standard widgets only). The paragraph page
    #: writes its mention rows from :func:`change_mention_fields` instead of a bound form each.
    default_renderer = Jinja2()

    kind = forms.ChoiceField(choices=Mention.Kind.choices)
    entity = EntityInput(required=False, label="Register entry")
    new_entity = forms.CharField(
        required=False, max_length=500, label="or new entry named", widget=forms.TextInput(attrs={"size": 30})
    )
    when = forms.CharField(
        required=False, max_length=40, widget=forms.TextInput(attrs={"size": 10, "placeholder": "1942-05-30"})
    )
    date_from = forms.CharField(required=False, max_length=40, label="from", widget=forms.TextInput(attrs={"size": 10}))
    date_to = forms.CharField(required=False, max_length=40, label="to", widget=forms.TextInput(attrs={"size": 10}))

    def clean(self):
        data = super().clean()
        for name in ("when", "date_from", "date_to"):
            value = (data.get(name) or "").strip()
            if value and not ISO_DATE.match(value):
                self.add_error(
                    name, f"{value!r} is not an ISO 8601 date in digits 0-9 (1942, 1942-05, 1942-05-30, --07-07)."
                )
            data[name] = value
        if (
            data.get("kind") != Mention.Kind.DATE
            and data.get("entity") is None
            and not (data.get("new_entity") or "").strip()
        ):
            if "entity" not in self.errors:
                self.add_error("entity", "Link the mention to a register entry, or give the name of a new entry.")
        return data

    def values(self) -> MentionValues:
        data = self.cleaned_data
        is_date = data["kind"] == Mention.Kind.DATE
        return MentionValues(
            kind=data["kind"],
            entity=None if is_date else data.get("entity"),
            new_entity_name="" if is_date or data.get("entity") else (data.get("new_entity") or ""),
            when=data["when"] if is_date else "",
            date_from=data["date_from"] if is_date else "",
            date_to=data["date_to"] if is_date else "",
        )


class AddMentionForm(MentionFieldsForm):
    """A new mention: the words (and, from the page's script, their exact offsets)."""

    surface = forms.CharField(max_length=500, required=False, label="Words", widget=forms.TextInput(attrs={"size": 40}))
    occurrence = forms.IntegerField(
        min_value=1, initial=1, required=False, help_text="which occurrence of these words in the paragraph (1 = first)"
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["surface", "occurrence", "kind", "entity", "new_entity", "when", "date_from", "date_to"]

    def span(self, text: str) -> tuple[int, int]:
        """Offsets of the words in ``text``: the selection's if it matches, else the n-th occurrence."""
        data = self.cleaned_data
        surface = data["surface"]
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            if start < 0 or end > len(text):
                raise AnnotationError(
                    f"A mention must lie inside one paragraph: characters {start}–{end} cross its boundary "
                    f"({len(text)} characters)."
                )
            if text[start:end].strip() == surface.strip():
                return start, end
        words = " ".join(surface.split())
        if not words:
            raise AnnotationError("A mention cannot be empty: select or type some words of the paragraph.")
        found = [m.start() for m in re.finditer(re.escape(words), text)]
        n = data.get("occurrence") or 1
        if len(found) < n:
            raise AnnotationError(
                f"{words!r} occurs {len(found)} time(s) in this paragraph, so there is no occurrence {n}."
                if found
                else f"{words!r} is not in this paragraph's text (a mention cannot cross into another paragraph)."
            )
        return found[n - 1], found[n - 1] + len(words)


class ChangeMentionForm(MentionFieldsForm):
    """An existing mention retyped or relinked, with the version the page showed."""

    mention = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.CharField(widget=forms.HiddenInput)


@dataclass(frozen=True)
class PlainField:
    """A visible field of :class:`ChangeMentionForm` as the paragraph page writes it for every mention."""

    name: str
    label: str
    attrs: str  #: the widget's own attributes as HTML, escaped (`` size="10" maxlength="40"``)
    choices: tuple[tuple[str, str], ...] | None  #: a select's options; None for a text input


@cache
def change_mention_fields() -> tuple[PlainField, ...]:
    """The visible fields of :class:`ChangeMentionForm` (names, labels, widget attributes, choices), read
    from the form once: the paragraph page writes them from plain data in one loop instead of binding a
    form per mention, and posts back to the same form, so the two cannot drift apart."""
    out = []
    for name, field in ChangeMentionForm.base_fields.items():
        if field.widget.is_hidden:
            continue
        choices = tuple((str(v), str(label)) for v, label in field.choices) if hasattr(field, "choices") else None
        attrs = {k: v for k, v in field.widget.attrs.items() if v is not False}
        out.append(PlainField(name, str(field.label or pretty_name(name)), flatatt(attrs), choices))
    return tuple(out)


class MentionAdminForm(forms.ModelForm):
    """The mention change form of the admin (kind, entry, date values), version-checked."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    check_version = True

    class Meta:
        model = Mention
        fields = ["kind", "entity", "when", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .editing import mention_version

        if self.instance.pk:
            self.fields["version"].initial = mention_version(self.instance)

    def clean(self):
        from .editing import _check_values, lock_files_of, locked_mention

        data = super().clean()
        try:
            _check_values(
                MentionValues(
                    kind=data.get("kind") or "",
                    entity=data.get("entity"),
                    when=data.get("when") or "",
                    date_from=data.get("date_from") or "",
                    date_to=data.get("date_to") or "",
                )
            )
            if self.instance.pk and self.check_version:
                posted = self.data.get(self.add_prefix("version")) or None
                if posted is None:
                    raise AnnotationError(MISSING_VERSION.replace("entry", "mention"))
                lock_files_of([self.instance.pk], register=True)
                locked_mention(self.instance.pk, posted)
        except AnnotationError as exc:
            raise ValidationError(str(exc)) from None
        return data


class MergeForm(forms.Form):
    """Which of the chosen entries survives a merge."""

    survivor = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this entry (the others' mentions, names and ids move to it)",
    )

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = entities


class SplitForm(forms.Form):
    """A new entry taking some of an entry's mentions and variant names."""

    name = forms.CharField(max_length=500, label="Name of the new entry")
    mentions = forms.ModelMultipleChoiceField(
        queryset=Mention.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Mentions that belong to the new entry",
    )
    names = forms.ModelMultipleChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Variant names that move with them",
    )

    def __init__(self, *args, entity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentions"].queryset = entity.mentions.in_context()
        self.fields["mentions"].label_from_instance = (
            lambda m: f"{m.surface} — {m.paragraph.document.slug} {m.paragraph.xml_id}"
        )
        self.fields["names"].queryset = entity.names.all()
