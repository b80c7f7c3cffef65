"""Settings for benchmarks/telephony_events.py: the project's own, served with a URLconf that adds a
bare baseline view (benchmarks/bare_urls.py). Nothing outside benchmarks/ uses this module."""

from contactcentre.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_urls"
