"""OAuth 1 provider endpoints and the account pages for authorized applications and personal tokens."""

from urllib.parse import parse_qsl

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from oauthlib.common import add_params_to_uri
from oauthlib.oauth1.rfc5849 import errors

from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from . import selectors, services
from .authentication import OAuthAuthenticationFailed
from .models import SCOPE_CHOICES, RequestToken
from .server import OAuthServer
from .services import callback_allowed
from .validator import OOB, effective_callback

ACCESS_DESCRIPTION = [
    "See your expenses, reports and tags",
    "Create, change and delete expenses, reports and tags",
]


def _token_response(request, create):
    """Run a token endpoint; answer form-encoded, with a reason on every refusal."""
    server = OAuthServer(request)
    try:
        server.check_transport()
        headers, body, status = create(server)(*server.args)
    except errors.OAuth1Error as refusal:
        headers, body, status = {}, refusal.urlencoded, refusal.status_code
    if status == 401:
        reason = server.validator.failure or "invalid signature"
        body = urlencode({"error": "unauthorized", "error_description": reason, "oauth_problem": reason})
        headers = {"WWW-Authenticate": OAuthAuthenticationFailed.challenge}
    response = HttpResponse(body or "", status=status, content_type="application/x-www-form-urlencoded")
    for name, value in headers.items():
        if name.lower() != "content-type":
            response[name] = value
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def request_token(request):
    """Temporary credentials (RFC 5849 2.1): `oauth_token`, `oauth_token_secret`, `oauth_callback_confirmed`."""
    return _token_response(request, lambda server: server.request_token.create_request_token_response)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def access_token(request):
    """Token credentials (RFC 5849 2.3) for an authorized request token."""
    return _token_response(request, lambda server: server.access_token.create_access_token_response)


def _authorize_error(request, message, status=400):
    return render(request, "oauth_bridge/authorize_result.html", {"error": message}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The user's decision page: shows who asks for what, then Allow (verifier) or Deny."""
    server = OAuthServer(request)
    uri, _method, _body, headers = server.args
    # The token and (OAuth 1.0) callback travel in the URL; the form posts back to the same URL.
    try:
        asked_callback = server.parameters().get("oauth_callback")
        _realms, credentials = server.authorization.get_realms_and_credentials(uri, "GET", "", headers)
    except errors.OAuth1Error:
        return _authorize_error(
            request, "This authorization link is invalid, has expired or has already been used. "
            "Start again from the application."
        )
    rt: RequestToken = server.validator.request_token_for(credentials["resource_owner_key"])
    consumer = rt.consumer
    if asked_callback and consumer.legacy_oauth10 and not callback_allowed(consumer, asked_callback):
        return _authorize_error(request, "The callback address this application asked for is not allowed.")
    callback = effective_callback(rt, asked_callback)

    if request.method == "GET":
        return render(request, "oauth_bridge/authorize.html", {
            "consumer": consumer, "access": ACCESS_DESCRIPTION, "callback": callback, "oob": callback == OOB,
        })

    if request.POST.get("decision") != "allow":
        services.request_token_deny(rt)
        if callback == OOB:
            return render(request, "oauth_bridge/authorize_result.html", {"denied": True, "consumer": consumer})
        return redirect(add_params_to_uri(callback, [("error", "access_denied"), ("oauth_problem", "user_refused")]))

    try:
        response_headers, body, status = server.authorization.create_authorization_response(uri, "GET", "", headers)
    except errors.OAuth1Error as exc:
        return _authorize_error(request, exc.description)
    if status == 302:
        return redirect(response_headers["Location"])
    verifier = dict(parse_qsl(body))["oauth_verifier"]
    return render(request, "oauth_bridge/authorize_result.html", {"verifier": verifier, "consumer": consumer})


@login_required
def applications(request):
    """Applications the user authorized (OAuth 1 consumers and OAuth 2 clients), each revocable."""
    return render(request, "oauth_bridge/applications.html", {
        "oauth1": selectors.oauth1_authorization_list(request.user),
        "oauth2": selectors.oauth2_authorization_list(request.user),
    })


@login_required
@require_POST
def application_revoke(request, kind, pk):
    pk = parse_id(pk)
    if pk is None:  # digits beyond the database's range: no such application
        raise Http404("No such application")
    if kind == "oauth1":
        count = services.oauth1_authorization_revoke(user=request.user, consumer_id=pk)
    else:
        count = services.oauth2_authorization_revoke(user=request.user, application_id=pk)
    if count:
        messages.success(request, "Access revoked: the application can no longer use your account.")
    else:
        messages.info(request, "That application holds no access any more: nothing was left to revoke.")
    return redirect("account_applications")


# The secret of a token just created waits in the session for the one page that shows it.
NEW_TOKEN_SESSION_KEY = "oauth_bridge.new_token"


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Personal access tokens: list and create. A created token's secret is shown once, on the page the
    POST redirects to (a reload shows it no more and creates nothing)."""
    context = {"scopes": SCOPE_CHOICES, "name": "", "scope": SCOPE_CHOICES[0][0]}
    status = 200
    if request.method == "POST":
        context["name"] = request.POST.get("name", "")
        context["scope"] = request.POST.get("scope", "")
        try:
            created = services.personal_token_create(
                user=request.user, name=context["name"], scope=context["scope"]
            )
        except InvalidInput as exc:
            context["error"] = exc.message
            status = 400
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": created.token.pk, "secret": created.secret}
            return redirect("account_tokens")
    token_list = list(selectors.personal_token_list(request.user))
    shown = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    if shown:
        context["new_token"] = next((t for t in token_list if t.pk == shown["id"]), None)
        context["new_secret"] = shown["secret"] if context["new_token"] else None
    context["tokens"] = token_list
    response = render(request, "oauth_bridge/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    if parse_id(pk) is None:  # digits beyond the database's range: no such token
        raise Http404("No such token")
    if services.personal_token_revoke(user=request.user, token_id=pk):
        messages.success(request, "Token revoked.")
    else:
        messages.info(request, "No such active token.")
    return redirect("account_tokens")
