"""Every URL pattern of the project (walked from `get_resolver()`), made concrete with ids of A's objects.

A parameter is filled by its name (`expense_id` is always an expense) or, where the name alone does not say
(`pk`, `object_id`), by its route. A pattern with a parameter nobody knows how to fill is reported by
`unfilled_parameters`, and the isolation test fails on it: a new endpoint cannot go untested silently.
"""

import base64
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

# By name: what a parameter names wherever it appears.
BY_NAME = {
    "expense_id": ("expense", "expense_deleted"),
    "expense_pk": ("expense",),
    "receipt_id": ("receipt",),
    "report_id": ("report",),
    "tag_id": ("tag",),
    "id": ("user",),  # admin: a user's password form
}
# Values that are not ids of A's objects (w: the World).
LITERAL = {
    "fmt": lambda w: ["csv", "json"],
    "uidb64": lambda w: [base64.urlsafe_b64encode(str(w.a.pk).encode()).decode().rstrip("=")],
    "token": lambda w: ["set-password", "czb1x2-0123456789abcdef0123456789abcdef"],
    "client_id": lambda w: [w.a_client_id],
    "user_code": lambda w: ["ABCD-EFGH"],
    "issuer_path": lambda w: ["o"],
    "resource_path": lambda w: ["api/v2"],
    "app_label": lambda w: ["expenses", "oauth_bridge"],
    "content_type_id": lambda w: [w.expense_content_type],
    # The public receipt URL's path is its key: B knows A's file name, not the random directory.
    "path": lambda w: ["guessed-directory/receipt.png", f"../{w.ids['expense']}.png"],
}
# By route (a prefix of the pattern's full route): `pk` and friends; a function gives literal values.
BY_ROUTE = [
    ("api/v2/^expenses/(?P<expense_pk>[0-9]+)/receipts/", {"pk": ("receipt",)}),
    ("api/v2/^expenses/", {"pk": ("expense", "expense_deleted")}),
    ("api/v2/^tags/", {"pk": ("tag",)}),
    ("api/v2/^webhooks/", {"pk": ("webhook",)}),
    ("api/v2/^reports/", {"pk": ("report",)}),
    ("account/^applications/", {"kind+pk": (("oauth1", "oauth1_consumer"), ("oauth2", "oauth2_application"))}),
    ("account/tokens/", {"pk": ("personal_token",)}),
    ("o/applications/", {"pk": ("oauth2_application",)}),
    ("o/authorized_tokens/", {"pk": ("oauth2_token",)}),
    ("admin/r/", {"object_id": ("expense",)}),
    ("admin/expenses/expense/", {"object_id": ("expense",)}),
    ("admin/expenses/tag/", {"object_id": ("tag",)}),
    ("admin/reports/report/", {"object_id": ("report",)}),
    ("admin/accounts/user/", {"object_id": ("user",)}),
    ("admin/oauth_bridge/accesstoken/", {"object_id": ("oauth1_token",)}),
    ("admin/oauth_bridge/consumer/", {"object_id": ("oauth1_consumer",)}),
    ("admin/oauth_bridge/personalaccesstoken/", {"object_id": ("personal_token",)}),
    ("admin/oauth2_provider/application/", {"object_id": ("oauth2_application",)}),
    ("admin/oauth2_provider/accesstoken/", {"object_id": ("oauth2_token",)}),
    # django-rq's dashboard (installed with the Redis queue): queues and jobs, not A's rows; any value will do.
    ("admin/django_rq/", {"queue_index": lambda w: ["0"], "scheduler_index": lambda w: ["0"],
                          "connection_index": lambda w: ["0"], "job_id": lambda w: ["nosuchjob"],
                          "result_id": lambda w: ["nosuchresult"], "key": lambda w: ["nosuchworker"],
                          "scheduler_name": lambda w: ["nosuchscheduler"], "cron_job_name": lambda w: ["nosuchjob"],
                          "token": lambda w: ["notthetoken"]}),
    # Models without rows of A's: any id is as good as another (B is no staff member: login page).
    ("admin/", {"object_id": ("user",), "url": ("admin_expense_path",)}),
]


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, as Django writes it (regex and path syntax mixed)
    pattern: URLPattern

    @property
    def parameters(self) -> list[str]:
        return [a or b for a, b in GROUP.findall(self.route)]


def patterns() -> list[Pattern]:
    def walk(resolver, prefix):
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                yield from walk(item, prefix + str(item.pattern))
            else:
                yield Pattern(prefix + str(item.pattern), item)

    return list(walk(get_resolver(), ""))


def _fillers(pattern: Pattern) -> dict:
    found = {}
    for prefix, fills in BY_ROUTE:
        if pattern.route.startswith(prefix):
            for name, kinds in fills.items():
                found.setdefault(name, kinds)
    return found


def unfilled_parameters(pattern: Pattern) -> list[str]:
    routed = _fillers(pattern)
    names = {part for key in routed for part in key.split("+")}
    return [p for p in pattern.parameters if p not in BY_NAME and p not in LITERAL and p not in names]


def _values(world, pattern: Pattern) -> list[dict]:
    """Every combination of parameter values to try (each value list is short)."""
    routed = _fillers(pattern)
    combos = [{}]
    for name in pattern.parameters:
        if any(name in key.split("+") and "+" in key for key in routed):
            continue
        kinds = routed.get(name) or BY_NAME.get(name)
        if callable(kinds):
            values = kinds(world)
        else:
            values = [world.ids[k] if k in world.ids else getattr(world, k) for k in kinds] if kinds \
                else LITERAL[name](world)
        combos = [{**c, name: str(v)} for c in combos for v in values]
    for key, pairs in routed.items():
        if "+" in key and all(part in pattern.parameters for part in key.split("+")):
            names = key.split("+")
            combos = [{**c, **dict(zip(names, (literal, str(world.ids[kind]))))} for c in combos
                      for literal, kind in pairs]
    return combos


def _concrete(route: str, values: dict) -> str:
    path = GROUP.sub(lambda m: values[m.group(1) or m.group(2)], route)
    path = re.sub(r"\(([\w-]+)\)\?", "", path)  # an optional literal group, e.g. anymail's `inbound(_mime)?`
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("?", "")
    return "/" + path


def concrete_paths(world, pattern: Pattern) -> list[str]:
    """Paths that Django resolves to this very pattern, with A's ids in them."""
    paths = []
    for values in _values(world, pattern):
        path = _concrete(pattern.route, values)
        try:
            match = resolve(path)
        except Resolver404:
            raise AssertionError(f"{path} (from {pattern.route}) does not resolve") from None
        # The same route earlier in the configuration overrides this one (accounts/password_reset/): its
        # requests go there, and are tried there.
        overridden = match.route == pattern.route
        if match.func is pattern.pattern.callback or overridden or pattern.route.endswith("(?P<url>.*)$"):
            paths.append(path)
    return paths
