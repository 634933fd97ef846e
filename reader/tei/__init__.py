"""The TEI pipeline: plain Python + lxml, no Django.

Stages (each usable on a string or a file):
``ingest``    plain text -> TEI document (structure, noise, stable ids)
``validate``  TEI P5 tei_all RELAX NG validation
Entity recognition and collation are further stages in this package.
"""
