"""The Annotator and Editor groups with exactly the permissions each role needs.

Annotator: read documents and paragraphs; add, change and delete register
entries (with their names and authority ids) and mentions; see their
history, the rejections and merges, and the log of publications. No deleting
documents, no user management. Editor: all that, plus publishing and
managing user accounts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_work", "view_document", "view_section", "view_paragraph"]
EDIT = [
    f"{action}_{model}"
    for model in ("entity", "entityname", "authorityid", "mention")
    for action in ("view", "add", "change", "delete")
]
LOGS = ["view_rejectedsuggestion", "view_entityredirect", "view_publication"]
ANNOTATOR = {
    "texts": READ + [p for p in EDIT if p.endswith("mention")],
    "entities": [p for p in EDIT if not p.endswith("mention")],
    "annotations": LOGS,
}
EDITOR_EXTRA = {
    "annotations": ["publish"],
    "auth": ["view_user", "add_user", "change_user", "delete_user", "view_group"],
}


def _permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codenames in spec.items():
        for codename in codenames:
            found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    annotator, _ = Group.objects.get_or_create(name="Annotator")
    annotator.permissions.set(_permissions(apps, ANNOTATOR))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(_permissions(apps, ANNOTATOR) + _permissions(apps, EDITOR_EXTRA))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Annotator", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
