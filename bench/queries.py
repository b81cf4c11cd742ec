"""Database queries per request of the hot endpoints, counted in this process on the bench database.

Each request goes through Django's test client (the whole middleware chain, URL resolver and DRF view) with
the same credentials the load uses; `CaptureQueriesContext` records every statement the ORM sends. The delta
sync asks for the changes since the count began (the two creates above it), so that its count does not
depend on how many rows the run's creates added: one query for the tags of every 2,000 rows it returns.
"""

import datetime as dt

from bench.config import BASIC

HOT = (
    ("simple-API create (Basic, one tag)", "GET", "/api/simple/?format=json&q=lunch+45+counted+%23wrk", "basic"),
    ("v1.0 expense read (Basic)", "GET", "/api/v1.0/expense/{id}", "basic"),
    ("v1.0 expense read (OAuth 1 signed)", "GET", "/api/v1.0/expense/{id}", "oauth"),
    ("delta sync (v1.0 list, modified_op=gt; the 2 creates above)", "GET",
     "/api/v1.0/expenses/?report=*&status=all&modified={since}&modified_op=gt", "basic"),
    ("v2 list page of 100 (Basic)", "GET", "/api/v2/expenses/?limit=100", "basic"),
)


def queries_per_request(info) -> list[tuple[str, int, int, list[str]]]:
    """[(endpoint, status, queries, statements)] for each hot endpoint, the second request of two (so that
    the cached Basic-auth credential and the created tag are as they are under load)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oauthlib.oauth1 import Client as OAuthClient

    client = Client()
    # The bench user's time zone is UTC (the seed's `since` is UTC too); to the second, as clients send it.
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d+%H:%M:%S")
    consumer_key, consumer_secret, token, token_secret = info["oauth"].split(":")
    rows = []
    for label, method, template, credentials in HOT:
        path = template.format(id=info["id_first"], since=since)
        for _ in range(2):
            headers = {"HTTP_AUTHORIZATION": BASIC}
            if credentials == "oauth":
                signer = OAuthClient(consumer_key, client_secret=consumer_secret, resource_owner_key=token,
                                     resource_owner_secret=token_secret)
                _, signed, _ = signer.sign(f"http://testserver{path}", http_method=method)
                headers = {"HTTP_AUTHORIZATION": signed["Authorization"]}
            with CaptureQueriesContext(connection) as captured:
                response = client.generic(method, path, **headers)
                _body = b"".join(response) if response.streaming else response.content
        statements = [query["sql"].split(" WHERE ")[0][:90] for query in captured.captured_queries]
        rows.append((label, response.status_code, len(captured.captured_queries), statements))
    return rows
