"""Hypothesis profiles: a small budget by default, many examples with ZWGK_FUZZ=long (`make fuzz`)."""

import os

from hypothesis import settings

settings.register_profile("default", max_examples=20, deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile("long" if os.environ.get("ZWGK_FUZZ") == "long" else "default")
