"""Domain errors raised by services and selectors; each API family renders them in its own envelope."""


class InvalidInput(ValueError):
    """Bad input from the client: answered 400 with the message, nothing saved."""

    status_code = 400
    code = "invalid"  # /api/v2/'s machine-readable error code

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(LookupError):
    """The named object does not exist for this user: answered 404."""

    status_code = 404
    code = "not_found"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PreconditionFailed(InvalidInput):
    """The item changed since the client read it (`If-Match` no longer matches): answered 412, nothing saved."""

    status_code = 412
    code = "precondition_failed"
