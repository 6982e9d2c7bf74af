"""Settings for `make load` (tests/load.py): the production settings, plus one bare view.

Only the URLconf differs, so that the load test can compare the portal's pages with the
cheapest page Django can serve through the same middleware, in the same run.
"""

from config.settings import *  # noqa: F403 (every setting as production has it)

ROOT_URLCONF = "tests.load_urls"
