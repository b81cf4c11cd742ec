"""Settings for the live Ruby test server: the real settings, with the live URL conf."""

from xpenser_server.settings import *  # noqa: F403

ROOT_URLCONF = "tests.oauth_bridge.live_urls"
