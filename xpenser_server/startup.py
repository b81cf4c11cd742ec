"""What a server process does once, after loading the application, before its first request (gunicorn.conf.py)."""

import gc
from importlib import import_module

from django.conf import settings


def freeze_loaded_objects() -> None:
    """Load the URLconf (and with it every view), then move the objects loaded so far out of the garbage
    collector's reach with `gc.freeze()`.

    Modules, classes and functions live as long as the process, yet each full collection walks them all: with
    them frozen, a full collection walks only what requests left behind, so the pauses it adds to some
    requests and the CPU it takes from all of them shrink (bench/RESULTS.md, "garbage collector"). Frozen
    objects are never collected: the `gc.collect()` first keeps import-time garbage out of them.
    """
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
