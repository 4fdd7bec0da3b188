"""Shared test settings. ``make test-unit`` (the quick run) sets HYPOTHESIS_PROFILE=quick: property tests try
fewer random cases there; ``make test`` keeps Hypothesis's default 100 per property."""

import os

from hypothesis import settings

settings.register_profile("quick", max_examples=20)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
