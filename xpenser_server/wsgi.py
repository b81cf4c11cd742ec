"""WSGI entry point (gunicorn xpenser_server.wsgi): Django's own handler, every request through the
middleware, the URL resolver and the views."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")

application = get_wsgi_application()
