"""The one error shape of the API: {"code": "...", "message": "..."} in the request's language."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError


class Error(Schema):
    code: str
    message: str
    # Field errors of a write, {field: [message, ...]}; absent otherwise.
    fields: dict[str, list[str]] | None = None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def _answer(api, request, status, code, message, fields=None):
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return api.create_response(request, body, status=status)


def install(api):
    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return _answer(api, request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _answer(api, request, 401, "unauthenticated", _("A valid API token is needed."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _answer(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _answer(api, request, 403, "forbidden", _("Your role may not take this action."))

    @api.exception_handler(ValidationError)
    def invalid_request(request, exc):
        fields = {}
        for error in exc.errors:
            name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "__all__"
            fields.setdefault(name, []).append(str(error.get("msg", "")))
        return _answer(api, request, 422, "invalid_request", _("The request is not valid."), fields)

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request, exc):
        fields = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": [str(m) for m in exc.messages]}
        )
        return _answer(api, request, 422, "invalid", _("The data is not valid."), fields)

    @api.exception_handler(OverflowError)
    def out_of_range(request, exc):
        # A number no record can hold (SQLite's driver refuses integers beyond 64 bits). The
        # schema bounds ids (fupin/api/types.py); this keeps any other number a bad request.
        return _answer(api, request, 422, "invalid_request", _("A number is out of range."))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return _answer(api, request, 429, "throttled", _("Too many requests: try again later."))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return _answer(api, request, exc.status_code, "error", str(exc))


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
