"""Domain errors. Services raise them; the API maps them once to its JSON error shape (with the
status code given here) and views turn them into form errors or messages."""

from django.core.exceptions import ValidationError


class DomainError(Exception):
    status_code = 400
    code = "domain_error"

    def __init__(self, message: str = "", *, fields: dict | None = None):
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.fields = fields or {}


class InvalidTransition(DomainError):
    """This change of state is not allowed from the current state."""

    status_code = 409
    code = "invalid_transition"


class Conflict(DomainError):
    """The request conflicts with the current state of the record."""

    status_code = 409
    code = "conflict"


def validation_fields(error: ValidationError) -> dict[str, list[str]]:
    """A model's ValidationError as DomainError fields: per field, or "__all__" for the rest."""
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def invalid(error: ValidationError, message: str) -> DomainError:
    """A model's ValidationError (from full_clean) as the DomainError services raise."""
    return DomainError(message, fields=validation_fields(error))
