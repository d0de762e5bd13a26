"""`zwgk serve`: the office's loop and a unit's self-check as local web pages.

Every page reads the round store through the same library functions as the
commands (``scoring.store``, ``scoring.store.history``, ``scoring.loop``,
``scoring.check``, ``scoring.report``); this package only arranges what they
return into pages. Nothing here decides a score, a status or a deadline.

- ``pages.py``: the data each page shows (plain Python, tested against the CLI);
- ``app.py``: the Starlette routes and templates; ``auth.py``: the token check;
- ``upload.py``: the self-check upload (size cap, file kinds, safe zip);
- ``charts.py``: the inline SVG charts.
"""
