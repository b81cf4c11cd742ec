"""What a server process does once, after loading the application, before its first request (gunicorn.conf.py)."""

import gc
from importlib import import_module

from django.conf import settings


def freeze_loaded_objects() -> None:
    """Load the URLconf (and with it every view), then move the objects loaded so far out of the garbage
    collector's reach with `gc.freeze()`.

    Modules, classes and functions live as long as the process, yet each full collection walks them all: with
    them frozen, a full collection walks only what requests left behind, and its pauses shrink (bench/RESULTS.md,
    "garbage collector"). Frozen objects are never collected: the `gc.collect()` first keeps import-time garbage
    out of them. gunicorn.conf.py's workers each load the application. Where a master loads it before forking
    (gunicorn's `preload_app`), call this in the master before the fork too (a `when_ready` hook), or each
    worker's first collection touches the pages of every object it inherited.
    """
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
