"""Each gunicorn worker freezes what it has loaded before its first request (gunicorn.conf.py's
post_worker_init, xpenser_server.startup), so full collections no longer walk the modules of Django and the
project on every pass."""

from tests.processes import run_python

# A new process, as a worker: gunicorn.conf.py read by gunicorn's own loader, the application loaded as
# gunicorn loads it, then post_worker_init called. Automatic collections are off, so only the hook's own can
# free the cycle.
WORKER = """
import gc, json, sys, weakref
from django.conf import settings
from gunicorn import util
from gunicorn.app.base import Application

class ConfigFile(Application):
    def load_config(self):
        self.load_config_from_file("gunicorn.conf.py")

    def load(self):
        return util.import_app("xpenser_server.wsgi:application")

class SelfCycle:
    def __init__(self):
        self.me = self

def tracked(obj):
    return any(o is obj for o in gc.get_objects())  # frozen objects are not among them

server = ConfigFile()
config = server.cfg
server.wsgi()
gc.disable()
loaded, garbage = SelfCycle(), weakref.ref(SelfCycle())
before = {"urlconf": settings.ROOT_URLCONF in sys.modules, "frozen": gc.get_freeze_count(),
          "loaded_tracked": tracked(loaded), "garbage_alive": garbage() is not None, "preload": config.preload_app}
config.post_worker_init(None)
later = SelfCycle()
print(json.dumps({"before": before, "urlconf": settings.ROOT_URLCONF in sys.modules,
                  "frozen": gc.get_freeze_count(), "loaded_tracked": tracked(loaded),
                  "garbage_alive": garbage() is not None, "later_tracked": tracked(later)}))
"""


def test_worker_start_freezes_the_loaded_objects_but_not_garbage(tmp_path):
    worker = run_python(WORKER, tmp_path, DJANGO_SETTINGS_MODULE="xpenser_server.settings",
                        DJANGO_SECRET_KEY="worker-startup-test-" + "x" * 40)

    # Loaded by each worker (no preload), nothing frozen yet: Django loads the URLconf at the first request.
    assert worker["before"] == {"urlconf": False, "frozen": 0, "loaded_tracked": True, "garbage_alive": True,
                                "preload": False}
    assert worker["urlconf"] is True  # every view loaded before the freeze
    assert worker["frozen"] > 0 and worker["loaded_tracked"] is False
    assert worker["garbage_alive"] is False  # collected first, not frozen for the life of the worker
    assert worker["later_tracked"] is True  # what requests make is collected as before
