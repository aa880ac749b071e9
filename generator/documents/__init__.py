"""One module per document type: each builds its template context from the territory model."""
