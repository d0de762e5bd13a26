"""The rectification loop after an assessment: 整改复核 (recheck) and 催办/通报 (overdue).

- ``recheck``: compare the findings of a recorded round with those of new
  evidence, give every finding a status and every unit a verdict.
- ``overdue``: from the notices, rechecks and urges on record, which units are
  late (催办) and which were urged and are still not fixed (通报).

Both are pure functions over pandas frames; the commands (scoring/cli/recheck.py,
scoring/cli/overdue.py) read and record rounds in the store and write the documents.
"""
