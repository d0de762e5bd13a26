"""Hypothesis budgets for the fuzz tests: a few seconds by default, far more with ZWGK_FUZZ=long.

Imported by each fuzz test module; ``make fuzz`` sets ZWGK_FUZZ=long.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                     HealthCheck.data_too_large])
settings.register_profile("zwgk-quick", max_examples=30, **_COMMON)
settings.register_profile("zwgk-long", max_examples=3000, **_COMMON)
settings.load_profile("zwgk-long" if os.environ.get("ZWGK_FUZZ") == "long" else "zwgk-quick")
