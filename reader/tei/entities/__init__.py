"""Named entities: persons, places, organisations and dates in Parallax TEI.

A pipeline stage (no Django) combining spaCy's English pipeline, the corpus
register's known names and date rules; see :class:`EntityStage` and
docs/tei-conventions.md ("Entities", "Entity register").

    stage = EntityStage.from_register_file("corpus/tei/register.xml")
    stage(root, previous_root)          # marks a document in place
    stage.save_register("corpus/tei/register.xml")
    errors = stage.check(doc_roots)
"""

from .register import Register, RegisterError
from .stage import EntityStage

__all__ = ["EntityStage", "Register", "RegisterError"]
