"""Make a staff account for an annotator: python manage.py createannotator NAME [--editor] [--password P].

The account joins the "Annotator" group (or "Editor" with --editor: may also
publish and manage users). Without --password the password is asked for
twice (or read from $PARALLAX_ANNOTATOR_PASSWORD when not interactive).
Running it again for an existing name updates its group and, if given, its
password.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ANNOTATOR, EDITOR = "Annotator", "Editor"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("name", help="user name (used in @resp as #annotator-NAME)")
        parser.add_argument("--editor", action="store_true", help="make an editor (publish, manage users)")
        parser.add_argument("--password", help="the password (else asked for)")
        parser.add_argument("--email", default="", help="e-mail address")
        parser.add_argument("--full-name", default="", help="name shown in the TEI respStmt")

    def handle(self, *args, name, editor=False, password=None, email="", full_name="", **options):
        try:
            group = Group.objects.get(name=EDITOR if editor else ANNOTATOR)
        except Group.DoesNotExist:
            raise CommandError(
                "the Annotator and Editor groups are missing: run python manage.py migrate first"
            ) from None
        User = get_user_model()
        user = User.objects.filter(username=name).first()
        if password is None and user is None:
            password = os.environ.get("PARALLAX_ANNOTATOR_PASSWORD") or self._ask_password()
        candidate = user or User(username=name, email=email)
        if password is not None:
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError(f"password refused for {name!r}: {' '.join(exc.messages)}") from None
        with transaction.atomic():
            created = user is None
            user = candidate
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as exc:
                raise CommandError(f"cannot make account {name!r}: {'; '.join(exc.messages)}") from None
            user.is_staff = True
            if full_name:
                user.first_name, _, user.last_name = full_name.partition(" ")
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=[ANNOTATOR, EDITOR]))
            user.groups.add(group)
        self.stdout.write(f"{'created' if created else 'updated'} {group.name.lower()} account {name!r}")

    def _ask_password(self) -> str:
        if not os.isatty(0):
            raise CommandError(
                "no password given: use --password, or $PARALLAX_ANNOTATOR_PASSWORD, or run interactively"
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
