"""The register's own admin pages, routed from ``EntityAdmin.get_urls``: what the entity inputs offer as one
types (``entities/entity/suggest/``), merge (``entities/entity/merge/``) and split (``entities/entity/<id>/split/``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from reader.entities.models import Entity, one_line
from reader.params import answers_bad_parameters, whole_number, whole_numbers

from .. import editing
from ..editing import AnnotationError
from ..forms import MergeForm, SplitForm

#: Suggestions the register gives for what an annotator typed, at most.
SUGGESTIONS = 20


def register_suggestions(query: str) -> list[tuple[str, str, str]]:
    """(name, id, kind) of up to ``SUGGESTIONS`` entries whose id, name or a variant name has ``query``
    in it, those that begin with it first."""
    query = " ".join(query.split())[:200]
    if len(query) < 2:
        return []
    match = Q(name__icontains=query) | Q(xml_id__istartswith=query) | Q(names__name__icontains=query)
    found = Entity.objects.filter(match).values_list("name", "xml_id", "kind").distinct()
    starts = found.filter(Q(name__istartswith=query) | Q(xml_id__istartswith=query)).order_by("name", "xml_id")
    first = list(starts[:SUGGESTIONS])
    rest = found.exclude(xml_id__in=[x for _, x, _ in first]).order_by("name", "xml_id")
    return first + list(rest[: SUGGESTIONS - len(first)])


def one_line_fields(form, *names) -> bool:
    """Whether the valid ``form``'s one-line text fields are free of control characters (a new entry's
    name goes into the register's XML, which cannot hold most of them); the error goes on the field."""
    for name in names:
        try:
            one_line(form.cleaned_data.get(name) or "")
        except ValidationError as exc:
            form.add_error(name, exc)
    return not form.errors


def suggest_view(model_admin, request):
    """Register entries for what an annotator typed (``?q=``), as the entity inputs offer them."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    results = [
        {"value": f"{name} ({xml_id})", "kind": kind}
        for name, xml_id, kind in register_suggestions(request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})


@answers_bad_parameters
def merge_view(model_admin, request):
    """Merge the entries ``?ids=`` into the survivor the annotator chooses; the old ids lead to it."""
    if not model_admin.has_change_permission(request) or not model_admin.has_delete_permission(request):
        raise PermissionDenied
    raw = request.POST.get("ids") or request.GET.get("ids", "")
    ids = whole_numbers(raw.split(","), "ids")
    whole_number(request.POST.get("survivor"), "survivor")  # the form's own check does not bound it
    entities = Entity.objects.filter(pk__in=ids).with_mention_counts().register_prefetch()
    back = reverse("admin:entities_entity_changelist")
    if len(set(ids)) < 2 or entities.count() < 2:
        model_admin.message_user(
            request,
            "Choose at least two different entries to merge: an entry cannot be merged with itself.",
            messages.ERROR,
        )
        return HttpResponseRedirect(back)
    form = MergeForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        survivor = form.cleaned_data["survivor"]
        try:
            editing.merge_entities(request.user, survivor, [e for e in entities if e.pk != survivor.pk])
        except AnnotationError as exc:
            model_admin.message_user(request, str(exc), messages.ERROR)
        else:
            model_admin.message_user(
                request, f"Merged into {survivor.name} ({survivor.xml_id}); the old ids now lead to it."
            )
            return HttpResponseRedirect(reverse("admin:entities_entity_change", args=[survivor.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Merge register entries",
        "form": form,
        "entities": entities,
        "ids": ",".join(map(str, ids)),
    }
    return TemplateResponse(request, "annotations/merge.html", context)


@answers_bad_parameters
def split_view(model_admin, request, pk):
    """A new entry made of some of an entry's mentions and names."""
    entity = get_object_or_404(Entity, pk=pk)
    if not model_admin.has_change_permission(request, entity) or not model_admin.has_add_permission(request):
        raise PermissionDenied
    for name in ("mentions", "names"):  # the form's own check does not bound them
        whole_numbers(request.POST.getlist(name), name)
    form = SplitForm(request.POST or None, entity=entity)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid() and one_line_fields(form, "name"):
        try:
            new = editing.split_entity(
                request.user,
                entity,
                form.cleaned_data["name"],
                [m.pk for m in form.cleaned_data["mentions"]],
                [n.pk for n in form.cleaned_data["names"]],
            )
        except AnnotationError as exc:
            model_admin.message_user(request, str(exc), messages.ERROR)
        else:
            model_admin.message_user(request, f"New entry {new.name} ({new.xml_id}) made from {entity.name}.")
            return HttpResponseRedirect(reverse("admin:entities_entity_change", args=[new.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": entity,
        "title": f"Split {entity.name}",
        "form": form,
    }
    return TemplateResponse(request, "annotations/split.html", context, status=status)
