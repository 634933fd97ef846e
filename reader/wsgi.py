"""WSGI entry point (gunicorn reader.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")
application = get_wsgi_application()
