"""WSGI entry point (gunicorn xpenser_server.wsgi)."""
import os
import re

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")

_ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*(?P<path>/.*)?$", re.DOTALL)


def absolute_form_paths(app):
    """Accept absolute-form request targets (`GET http://host/api/expenses/ HTTP/1.1`, RFC 9112 3.2.2).

    Old HTTP clients and proxies send them; gunicorn already strips the scheme and authority, but the
    development server passes the whole URI as PATH_INFO, which would not resolve.
    """

    def wrapped(environ, start_response):
        match = _ABSOLUTE_FORM.match(environ.get("PATH_INFO", ""))
        if match:
            environ["PATH_INFO"] = match.group("path") or "/"
        return app(environ, start_response)

    return wrapped


def xpenser_wsgi_application():
    """Django's get_wsgi_application(), with the handler that has the simple API's fast lane."""
    django.setup(set_prefix=False)
    from .handler import XpenserWSGIHandler

    return XpenserWSGIHandler()


application = absolute_form_paths(xpenser_wsgi_application())
