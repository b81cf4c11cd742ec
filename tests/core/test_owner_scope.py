"""One owner scope: every queryset over user data starts from its model's `owned_by(user)`.

The sources of the apps are read (outside models and migrations): a manager of a model of user data may only
be followed by `owned_by`, by a write that sets the owner itself (`create`, `bulk_create`), or by a named
lookup its model defines for a credential (a token key, the public receipt path). Reverse accessors from the
user do not exist (`related_name="+"`), so `user.expenses` cannot be written either.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from xpenser_server.models import OwnedQuerySet

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "expenses", "reports", "currencies", "oauth_bridge", "capture", "ocr", "jobs", "webhooks",
        "xpenser_server")

# The models of user data, and the lookups each may start from besides owned_by.
OWNED = {
    # awaiting_rate: the job converting expenses once their rate arrives serves every user (then works per user).
    "Expense": {"with_receipt", "awaiting_rate"},
    "CurrencyChange": set(),
    "Tag": set(),
    "Report": set(),
    "Timer": set(),
    "SyncClock": set(),
    "Receipt": set(),
    "ReceiptReading": set(),
    "IdempotencyRecord": set(),
    "AccessToken": {"for_key"},
    "RequestToken": {"for_key"},
    "PersonalAccessToken": {"for_secret"},
    "OAuth2AccessToken": set(),
    "OAuth2RefreshToken": set(),
    # receiving: the hooks a user's events go to (theirs, and administrators' hooks for every user).
    "Webhook": {"receiving"},
    "Delivery": set(),
    # with_secret: mail to a private address finds its owner by the address's secret.
    "CaptureAddress": {"with_secret"},
    "CapturedMessage": set(),
}
WRITES = {"owned_by", "create", "bulk_create", "none"}
# django-oauth-toolkit's models, reached through its getters: our proxies (OAuth2AccessToken...) carry the scope.
TOOLKIT_GETTERS = {"get_access_token_model", "get_refresh_token_model", "get_grant_model", "get_id_token_model"}
# Models with a foreign key to the user that are not a user's data.
NOT_USER_DATA = {
    "accounts.User": "the user itself",
    "oauth_bridge.Consumer": "an application an administrator registered (its owner is informational)",
}


def _model_name(node) -> str | None:
    """`Expense` in `Expense.objects`, `get_access_token_model` in `get_access_token_model().objects`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id
    return None


def scope_violations(source: str, filename: str = "<source>") -> list[str]:
    """Where `source` builds a queryset over user data without the owner scope."""
    tree = ast.parse(source, filename)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    problems = []

    def inside_prefetch(node) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Prefetch":
                return True  # a prefetch's queryset is scoped by the rows it is attached to
        return False

    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        where = f"{filename}:{node.lineno}"
        model = _model_name(node.value)
        if node.attr in ("_default_manager", "_base_manager") and model in OWNED:
            problems.append(f"{where}: {model}.{node.attr} bypasses the owner scope")
        if node.attr != "objects":
            continue
        if model in TOOLKIT_GETTERS:
            problems.append(f"{where}: {model}().objects: use the oauth_bridge proxy's owned_by")
            continue
        if isinstance(node.value, ast.Attribute) and node.value.attr == "through":
            problems.append(f"{where}: the M2M table directly: use ExpenseQuerySet.tag_links/TagQuerySet.expense_ids")
            continue
        if model not in OWNED:
            continue
        used = parents.get(node)
        method = used.attr if isinstance(used, ast.Attribute) else None
        if method in WRITES or method in OWNED[model] or inside_prefetch(node):
            continue
        problems.append(f"{where}: {model}.objects.{method or '<manager>'} without owned_by(user)")
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.split()).lower()
            if any(f"{column} {op}" in text for column in ("owner_id", "user_id") for op in ("=", "in (")):
                problems.append(f"{filename}:{node.lineno}: hand-written owner filter in SQL text")
    return problems


def _app_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "models.py" or "models" in path.parts or "migrations" in path.parts:
                continue
            yield path


def test_no_module_outside_the_models_builds_an_unscoped_queryset_over_user_data():
    problems = []
    for path in _app_sources():
        problems += scope_violations(path.read_text(), str(path.relative_to(ROOT)))
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        "Expense.objects.filter(owner=user)",
        "Tag.objects.get(pk=1)",
        "Report.objects.all()",
        "Timer.objects.first()",
        "PersonalAccessToken.objects.filter(user=user, revoked_at=None)",
        "get_access_token_model().objects.filter(user=user)",
        "Expense.tags.through.objects.filter(tag_id=1)",
        "Expense._default_manager.filter(pk=1)",
        "qs = Expense.objects\nqs.filter(pk=1)",
        'cursor.execute("SELECT * FROM expenses_expense WHERE owner_id = %s", [1])',
    ],
)
def test_the_check_catches_each_way_round_the_scope(source):
    assert scope_violations(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "Expense.objects.owned_by(user).filter(pk=1)",
        "Tag.objects.create(owner=user, name='x')",
        "AccessToken.objects.for_key(key).first()",
        "Prefetch('tags', queryset=Tag.objects.order_by())",
        "User.objects.get(pk=1)",
    ],
)
def test_the_check_accepts_the_scope_and_its_named_exceptions(source):
    assert scope_violations(source) == []


def test_every_model_with_a_user_foreign_key_has_the_owner_scope(user):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        label = model._meta.label
        owner_fields = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model]
        if not owner_fields or label in NOT_USER_DATA or model._meta.app_label not in APPS:
            continue
        queryset = model.objects.all()
        assert isinstance(queryset, OwnedQuerySet), f"{label} has no owner-scoped queryset"
        assert model.__name__ in OWNED, f"{label} is user data: list it in OWNED"
        sql = str(model.objects.owned_by(user).query)
        assert f'"{model._meta.db_table}"."{queryset.owner_field}_id" = {user.pk}' in sql.replace("`", '"')
        if not model._meta.proxy:  # django-oauth-toolkit's tables keep their own reverse accessors
            assert all(f.remote_field.related_name == "+" for f in owner_fields), f"{label}: a reverse accessor"


def test_owned_by_an_anonymous_user_is_empty():
    from django.contrib.auth.models import AnonymousUser

    from expenses.models import Expense

    assert not Expense.objects.owned_by(AnonymousUser()).exists()
    assert not Expense.objects.owned_by(None).exists()
