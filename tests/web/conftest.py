import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def web(client, user):
    """A browser session logged in as `user`."""
    client.force_login(user)
    return client
