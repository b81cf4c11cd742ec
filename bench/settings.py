"""Settings of the server `make bench` measures: the project's own, plus the floor view's URL (bench/urls.py)."""

from xpenser_server.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
