"""Browser forms of the calls app, one module per area."""

from django import forms

from contactcentre.exceptions import DomainError


def add_domain_errors(form: forms.Form, error: DomainError, field_names: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: each named field's messages by the field (renamed by
    `field_names`, service name -> form name), the rest above the form."""
    field_names = field_names or {}
    placed = False
    for name, messages in error.fields.items():
        field = field_names.get(name, name)
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
