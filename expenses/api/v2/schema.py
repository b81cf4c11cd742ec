"""What drf-spectacular needs to describe /api/v2/ whole: its credentials, only its own paths, and on every
operation the error answers (the envelope) and the headers of conditional and idempotent requests."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from xpenser_server.api import V2_PREFIX

NOT_DESCRIBED = ("/api/v2/schema", "/api/v2/docs")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Machine-readable: invalid, not_found, "
                                                          "precondition_failed, idempotency_key_reused, "
                                                          "import_failed, too_large..."},
                "message": {"type": "string", "description": "For people."},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                           "description": "The fields at fault and what is wrong with each ({} if none); "
                                          "an import's rows in error as `rows.<n>`."},
            },
        },
        "result": {"allOf": [{"$ref": "#/components/schemas/ImportResult"}],
                   "description": "Only `POST /api/v2/imports/` with rows in error: every row of the file, as a "
                                  "dry run answers it (nothing was stored)."},
    },
}
ERRORS = {
    "400": "The request is invalid (`fields` names what is wrong).",
    "401": "No valid credentials (Basic, Bearer personal token or OAuth 2, OAuth 1 signature, session).",
    "403": "The credentials may not do this (a read-only token writing; a session write without CSRF).",
    "404": "No such item for this user.",
    "405": "The method is not allowed here.",
    "406": "Only JSON is answered here.",
    "429": "Too many requests: retry after `Retry-After` seconds.",
    "503": "The database is busy: retry after `Retry-After` seconds.",
}
WRITE_ERRORS = {"415": "Send JSON (receipts: multipart/form-data)."}
POST_ERRORS = {"413": "The upload is over the size limit.",
               "422": "This Idempotency-Key was used for another request."}
CONDITIONAL_ERRORS = {"412": "If-Match no longer matches: the item changed since it was read."}

IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"},
                   "description": "A key of your own (e.g. a UUID) per request: a retry with the same key and body "
                                  "gets the first answer again, for 24 hours."}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "The ETag you read: refused with 412 if the item has changed since."}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "An ETag you hold: 304 if the answer is still the same."}
IF_MODIFIED_SINCE = {"name": "If-Modified-Since", "in": "header", "required": False, "schema": {"type": "string"},
                     "description": "A Last-Modified you hold: 304 if nothing changed since."}


def only_v2_endpoints(endpoints):
    """drf-spectacular preprocessing hook: /api/v2/ only (the older families are described in docs/api.md)."""
    return [(path, regex, method, view) for path, regex, method, view in endpoints
            if path.startswith(V2_PREFIX) and not path.startswith(NOT_DESCRIBED)]


def _responses(descriptions: dict) -> dict:
    return {code: {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/"
                                                                                           "Error"}}}}
            for code, text in descriptions.items()}


# The answers a serializer writes from a stored object: every field, null when empty. (Others, such as an import
# row's `values`, are built as dicts and may leave fields out.)
COMPLETE_ANSWERS = ("Expense", "Receipt", "Review", "Report", "Tag", "Me", "Timer", "Webhook", "Delivery")


def answers_complete(result, generator, request, public):
    """drf-spectacular postprocessing hook: the COMPLETE_ANSWERS require all their properties, so that generated
    clients need not treat `notes` or `tags` as optional (the write serializer's `required=False` is about
    requests, and those have components of their own: `...Request`, COMPONENT_SPLIT_REQUEST)."""
    components = result.get("components", {}).get("schemas", {})
    for name in COMPLETE_ANSWERS:
        properties = components[name]["properties"]
        components[name]["required"] = [key for key, field in properties.items() if not field.get("writeOnly")]
    return result


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error envelope and the conditional/idempotency headers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            errors = dict(ERRORS)
            parameters = operation.setdefault("parameters", [])
            if method in ("post", "put", "patch"):
                errors.update(WRITE_ERRORS)
            if method == "post":
                errors.update(POST_ERRORS)
                parameters.append(IDEMPOTENCY_KEY)
            if method in ("put", "patch", "delete"):
                errors.update(CONDITIONAL_ERRORS)
                parameters.append(IF_MATCH)
            if method == "get":
                parameters.extend([IF_NONE_MATCH, IF_MODIFIED_SINCE])
                operation["responses"].setdefault("304", {"description": "Not modified (If-None-Match or "
                                                                         "If-Modified-Since)."})
            for code, response in _responses(errors).items():
                operation["responses"].setdefault(code, response)
    return result


class BasicScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.CachedBasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic",
                "description": "Email and password, or email and a personal access token (`xpp_...`)."}


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "oauth_bridge.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "xpp_...",
                "description": "A personal access token from Settings (read or read/write)."}


class OAuth1Scheme(OpenApiAuthenticationExtension):
    target_class = "oauth_bridge.authentication.OAuth1Authentication"
    name = "oauth1"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "An OAuth 1.0a signed request (`Authorization: OAuth ...`, HMAC-SHA1); see "
                               "docs/oauth.md."}


class OAuth2Scheme(OpenApiAuthenticationExtension):
    target_class = "oauth2_provider.contrib.rest_framework.OAuth2Authentication"
    name = "oauth2"
    priority = 1

    def get_security_requirement(self, auto_schema):
        return {self.name: ["read"] if auto_schema.method in ("GET", "HEAD") else ["write"]}

    def get_security_definition(self, auto_schema):
        return {"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": "/o/authorize/", "tokenUrl": "/o/token/", "refreshUrl": "/o/token/",
            "scopes": {"read": "Read your expenses, reports and tags",
                       "write": "Create, change and delete your expenses, reports and tags"}}}}


class SessionScheme(OpenApiAuthenticationExtension):
    """The project's session authentication (xpenser_server.write_checks) is DRF's with the CSRF verdict kept:
    described as drf-spectacular describes DRF's own."""

    target_class = "xpenser_server.write_checks.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "The web app's session; writes also need the `X-CSRFToken` header."}
