"""A draft plan from a work report's text (``hnreport extract``): structure, targets, results,
candidate commitments and the glossary, each item with where it stands, the exact phrase, a
confidence and ``review = true``. Pure: text in, a ``Draft`` out; the command reads the file and
writes the draft."""
