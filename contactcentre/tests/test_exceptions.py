"""A model's ValidationError becomes the DomainError services raise, its messages kept by field."""

from django.core.exceptions import ValidationError

from contactcentre.exceptions import invalid, validation_fields


def test_field_errors_stay_by_field_and_the_rest_go_under_all():
    by_field = ValidationError({"end": ["Before the start."], "score": ["Out of scale."]})
    assert validation_fields(by_field) == {"end": ["Before the start."], "score": ["Out of scale."]}
    assert validation_fields(ValidationError("Overlaps another.")) == {"__all__": ["Overlaps another."]}
    error = invalid(by_field, "Could not be saved.")
    assert (error.message, error.fields["end"]) == ("Could not be saved.", ["Before the start."])
