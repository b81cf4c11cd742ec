"""Each gunicorn worker freezes what it has loaded before its first request (gunicorn.conf.py's
post_worker_init, xpenser_server.startup), so full collections no longer walk the modules of Django and the
project on every pass."""

import gc
import importlib.util
import sys
import weakref

import pytest
from django.conf import settings
from gunicorn.config import Config


class Node:
    """An object in a reference cycle: only the garbage collector frees it."""

    def __init__(self):
        self.me = self


@pytest.fixture
def collector_by_hand():
    """No automatic collections during the test (only explicit ones free a cycle); the test process's objects
    go back to the collector afterwards."""
    gc.disable()
    yield
    gc.unfreeze()
    gc.enable()


def gunicorn_config() -> Config:
    """gunicorn's settings with gunicorn.conf.py's hook, validated as gunicorn validates the file's names."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf", settings.BASE_DIR / "gunicorn.conf.py")
    namespace = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(namespace)
    cfg = Config()
    cfg.set("post_worker_init", namespace.post_worker_init)
    return cfg


def is_tracked(obj) -> bool:
    """Whether the next full collection walks `obj` (frozen objects are not among gc.get_objects())."""
    return any(tracked is obj for tracked in gc.get_objects())


def test_worker_start_freezes_the_loaded_objects_but_not_garbage(collector_by_hand):
    config = gunicorn_config()
    loaded = Node()
    garbage = weakref.ref(Node())
    assert is_tracked(loaded) and garbage() is not None and gc.get_freeze_count() == 0

    config.post_worker_init(None)

    assert settings.ROOT_URLCONF in sys.modules  # every view is loaded before the freeze
    assert gc.get_freeze_count() > 0 and not is_tracked(loaded)
    assert garbage() is None  # collected first, not frozen for the life of the worker
    later = Node()
    assert is_tracked(later)  # what requests make is collected as before
