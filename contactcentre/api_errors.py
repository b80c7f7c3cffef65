"""The one JSON error shape every API 4xx/5xx takes: {"error": {"code", "message", "fields"}}.

DRF's exceptions and the project's DomainErrors go through `exception_handler`; errors raised outside
DRF (an unknown /api/ URL, an unhandled exception) go through the project's handler404/500, which
call `json_error_response` for /api/ paths."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from .exceptions import DomainError


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return force_str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's exception handler, reshaped. Unhandled errors fall through to handler500 (JSON too)."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, _flatten(exc.fields)), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() in a service: the same 400 as a serializer's.
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, IntegrityError):
        # A database constraint refused the write (a race a Python check could not see).
        set_rollback()
        return Response(error_body("conflict", _("The change conflicts with the current data.")), status=409)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten(exc.detail)
        if not isinstance(detail, dict):
            detail = {"non_field_errors": detail if isinstance(detail, list) else [detail]}
        fields = detail
        body = error_body("invalid", _("The request has invalid fields."), fields)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        plain = not isinstance(exc.detail, (list, dict))
        body = error_body(code, force_str(exc.detail if plain else exc.default_detail))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def json_error_response(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, str(message)), status=status_code)


API_ERRORS = {
    status.HTTP_400_BAD_REQUEST: ("bad_request", gettext_lazy("The request could not be understood.")),
    status.HTTP_403_FORBIDDEN: (
        "permission_denied",
        gettext_lazy("You do not have permission to perform this action."),
    ),
    status.HTTP_404_NOT_FOUND: ("not_found", gettext_lazy("Not found.")),
    status.HTTP_500_INTERNAL_SERVER_ERROR: ("server_error", gettext_lazy("A server error occurred.")),
}


class JsonErrorsMixin:
    """For API views whose success is not JSON (the schema as YAML, Swagger UI as HTML): their
    errors are JSON in the one shape all the same."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: not_found, invalid, invalid_transition, ...")
    message = serializers.CharField(help_text="For people, in the caller's language.")
    fields = serializers.DictField(help_text="Per field, what is wrong with it (empty when no field is to blame).")


class ErrorSerializer(serializers.Serializer):
    """The one shape of every API error (4xx and 5xx), for the OpenAPI schema."""

    error = ErrorDetailSerializer()
