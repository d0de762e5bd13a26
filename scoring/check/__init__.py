"""`zwgk check`: a unit's self-check, in the terminal, as JSON and as one HTML file.

Everything shown is built from the engine's results model by :mod:`scoring.check.view`;
the renderers (:mod:`.terminal`, :mod:`.html`) only lay it out.
"""
