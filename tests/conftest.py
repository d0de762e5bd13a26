"""Hypothesis budgets for every fuzz test, in one place.

A few seconds by default (``make test``); thousands of examples with ZWGK_FUZZ=long (``make fuzz``).
Each fuzz test bounds its own memory and CPU per example and asserts only "exit 0, or exit 2 with a
location, never a traceback".
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                     HealthCheck.data_too_large])
# the quick budget is derandomized: `make test` and CI try the same examples every run, so a failure
# is reproducible; the long budget explores new ones each time
settings.register_profile("zwgk-quick", max_examples=25, derandomize=True, database=None, **_COMMON)
settings.register_profile("zwgk-long", max_examples=1000, **_COMMON)
settings.load_profile("zwgk-long" if os.environ.get("ZWGK_FUZZ") == "long" else "zwgk-quick")
