"""Editors may upload sources and watch their jobs; annotators may see the jobs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="jobs", codename="view_sourcejob")
    add = Permission.objects.get(content_type__app_label="jobs", codename="add_sourcejob")
    for name, permissions in (("Editor", [view, add]), ("Annotator", [view])):
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Annotator"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="jobs"))


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_source_job"), ("annotations", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
