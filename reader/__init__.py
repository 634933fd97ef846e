"""Parallax: the Django project (settings, urls) and its apps.

``reader.tei`` is the TEI pipeline and never imports Django; the apps
(``reader.entities``, ``reader.texts``) import it.
"""
