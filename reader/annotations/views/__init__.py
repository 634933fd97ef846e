"""The annotators' own admin pages, routed from the ModelAdmins' ``get_urls`` (``reader.annotations.admin``):
each view of the first three takes the ModelAdmin that routes it (for its permissions, its admin site and its
messages); the corrections' views need only the request.

* :mod:`.entities` — suggest, merge and split register entries;
* :mod:`.paragraphs` — a paragraph's text with its mentions, where annotators change them;
* :mod:`.documents` — a document's pending suggestions in bulk, and publishing;
* :mod:`.corrections` — a correction in every witness, its undo, a work's queue (routed by ``CorrectionAdmin``).
"""
