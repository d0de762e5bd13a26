"""`zwgk collect`: visit every unit's website and write ``site_checks`` evidence.

Layout: ``urls`` (normalisation), ``page`` (decoding, links, dates), ``robots``,
``fetch`` (the polite async HTTP client), ``state`` (the SQLite fetch cache that
makes a run resumable), ``crawler`` (per-unit breadth-first crawl and the rows),
``cli`` (the click command).
"""
