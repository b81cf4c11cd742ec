"""Two users for the security suites: A owns one of everything, B holds every kind of credential.

Every text A owns carries MARK (and A's money the amount MONEY), so a response showing any of A's data to B is
found by searching its body; `a_snapshot` lists A's rows, so any change to them is found by comparing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_application_model
from oauthlib.oauth1 import Client as OAuth1Client

from accounts.models import User
from expenses import services
from expenses.models import Expense, Receipt, Tag
from oauth_bridge.models import AccessToken, Consumer, OAuth2AccessToken, PersonalAccessToken
from oauth_bridge.services import personal_token_create
from reports.models import Report
from tests.conftest import basic_auth
from tests.expenses.v2.receipt_files import image
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, UserFactory
from webhooks.models import Webhook

# Long enough that no random token (CSRF, session) on a page contains it by chance.
MARK = "zq7mark9x"
MONEY = "4321.09"
FORM = "application/x-www-form-urlencoded"


@dataclass
class World:
    a: User
    b: User
    ids: dict  # kind -> id of one of A's objects (expense, report, tag, receipt, token, ...)
    receipt_path: str  # A's receipt file name (its public URL is the key: B is never given it)
    credentials: dict = field(default_factory=dict)  # name -> Credential of B


def _oauth2_token(user, name, scope):
    application = get_application_model().objects.create(
        name=name, client_type="public", authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb", user=user)
    token = OAuth2AccessToken.objects.create(
        user=user, application=application, token=f"oauth2-{user.pk}-{scope.replace(' ', '-')}", scope=scope,
        expires=timezone.now() + dt.timedelta(hours=1))
    return application, token


def world_create() -> World:
    """A with data of every kind (all marked), B with a small set of its own and every credential kind."""
    a = UserFactory(email=f"alice.{MARK}@a.test", name=f"Alice {MARK}")
    b = UserFactory(email="bob@b.test", name="Bob")
    report = ReportFactory(owner=a, name=f"{MARK} trip")
    tag = TagFactory(owner=a, name=f"{MARK}tag")
    expenses = [ExpenseFactory(owner=a, report=report, type=f"{MARK}lunch", notes=f"{MARK} note {n}",
                               amount=Decimal(MONEY), tags=[tag]) for n in range(2)]
    deleted = ExpenseFactory(owner=a, type=f"{MARK}gone", notes=f"{MARK} deleted", status=Expense.DELETED)
    receipt = services.receipt_add(expense=expenses[0],
                                   upload=SimpleUploadedFile(f"{MARK}.png", image("PNG", (40, 30))))
    pat = personal_token_create(user=a, name=f"{MARK} script", scope="read write").token
    a_consumer = Consumer.objects.create(name=f"{MARK} Sync", key="a-consumer-key-123", secret="a-consumer-secret")
    a_access = AccessToken.objects.create(consumer=a_consumer, user=a, key="a-access-key-1234567",
                                          secret="a-access-secret-1")
    application, oauth2 = _oauth2_token(a, f"{MARK} App", "read write")
    webhook = Webhook.objects.create(owner=a, url=f"https://{MARK}.example/hook", description=f"{MARK} hook",
                                     events=["expense.created"])
    ExpenseFactory(owner=b, type="coffee", notes="bob's own", amount=Decimal("3.50"))
    ids = {"expense": expenses[0].pk, "expense_deleted": deleted.pk, "report": report.pk, "tag": tag.pk,
           "receipt": receipt.pk, "personal_token": pat.pk, "oauth1_token": a_access.pk,
           "oauth1_consumer": a_consumer.pk, "oauth2_application": application.pk, "oauth2_token": oauth2.pk,
           "webhook": webhook.pk, "user": a.pk}
    world = World(a=a, b=b, ids=ids, receipt_path=receipt.file.name)
    world.a_client_id = application.client_id
    world.expense_content_type = ContentType.objects.get_for_model(Expense).pk
    world.admin_expense_path = f"expenses/expense/{expenses[0].pk}/change/"
    world.credentials = credentials_of_b(b)
    return world


def a_snapshot(a) -> dict:
    """Every row of A's, and every row pointing at one of A's (an expense of B's in A's report would be one)."""
    return {
        "user": list(User.objects.filter(pk=a.pk).values()),
        "expenses": list(Expense.objects.filter(Q(owner=a) | Q(report__owner=a)).order_by("pk").values()),
        "expense_tags": sorted(Expense.tags.through.objects.filter(Q(tag__owner=a) | Q(expense__owner=a))
                               .values_list("expense_id", "tag_id")),
        "tags": list(Tag.objects.owned_by(a).order_by("pk").values()),
        "reports": list(Report.objects.owned_by(a).order_by("pk").values()),
        "receipts": list(Receipt.objects.filter(Q(owner=a) | Q(expense__owner=a)).order_by("pk").values()),
        "personal_tokens": list(PersonalAccessToken.objects.owned_by(a).values("pk", "name", "scope",
                                                                                  "revoked_at")),
        "oauth1_tokens": list(AccessToken.objects.owned_by(a).values("pk", "key", "revoked_at")),
        "oauth2_tokens": list(OAuth2AccessToken.objects.owned_by(a).values("pk", "token", "scope", "expires")),
        "oauth2_applications": list(get_application_model().objects.filter(user=a).values()),
        "consumers": list(Consumer.objects.filter(name__startswith=MARK).values()),
        "webhooks": list(Webhook.objects.owned_by(a).order_by("pk").values()),
    }


@dataclass
class Credential:
    """How B sends a request: extra test-client kwargs, or (OAuth 1) a signer."""

    name: str
    headers: dict = field(default_factory=dict)
    session_user: User | None = None
    oauth1: OAuth1Client | None = None


def credentials_of_b(b) -> dict:
    consumer = Consumer.objects.create(name="B Sync", key="b-consumer-key-123", secret="b-consumer-secret")
    access = AccessToken.objects.create(consumer=consumer, user=b, key="b-access-key-1234567",
                                        secret="b-access-secret-1")
    read = personal_token_create(user=b, name="reader", scope="read").secret
    write = personal_token_create(user=b, name="writer", scope="read write").secret
    _, oauth2 = _oauth2_token(b, "B App", "read write")
    found = [
        Credential("session", session_user=b),
        Credential("basic", headers=basic_auth(b.email)),
        Credential("token-read", headers={"HTTP_AUTHORIZATION": f"Bearer {read}"}),
        Credential("token-write", headers={"HTTP_AUTHORIZATION": f"Bearer {write}"}),
        Credential("token-as-basic", headers=basic_auth(b.email, write)),
        Credential("oauth2", headers={"HTTP_AUTHORIZATION": f"Bearer {oauth2.token}"}),
        Credential("oauth1", oauth1=OAuth1Client(consumer.key, client_secret=consumer.secret,
                                                 resource_owner_key=access.key,
                                                 resource_owner_secret=access.secret)),
        Credential("anonymous"),
    ]
    return {credential.name: credential for credential in found}


def send(client: Client, credential: Credential, method: str, path: str, body: bytes | str = b"",
         content_type: str = FORM, query: str = ""):
    """One request of B's through Django's whole stack (handler, middleware, resolver, views)."""
    target = path + (f"?{query}" if query else "")
    extra = dict(credential.headers)
    if credential.session_user is not None:
        client.force_login(credential.session_user)
    if credential.oauth1 is not None:
        # The header signs method, URL and query (and a form body, which this client leaves unsigned: a
        # signature mismatch is then the answer, and B's other credentials cover the write paths).
        try:
            _, headers, _ = credential.oauth1.sign(f"https://testserver{target}", http_method=method)
        except ValueError:  # a query oauthlib cannot decode: signed without it (the server refuses the mismatch)
            _, headers, _ = credential.oauth1.sign(f"https://testserver{path}", http_method=method)
        extra["HTTP_AUTHORIZATION"] = headers["Authorization"]
    # In a savepoint: a request failing in the database must not break the test's transaction for the next.
    with transaction.atomic():
        return client.generic(method, target, data=body, content_type=content_type, secure=True, **extra)
