"""Machine interfaces: DTS 1.0 (``/api/dts/``), exports (Web Annotation, CSV, ZIP) and their
OpenAPI description. Views map database rows to the plain data of ``reader.tei.dts``; no model
of their own."""
