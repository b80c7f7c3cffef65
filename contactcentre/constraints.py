"""Small builders for the database constraints every app declares the same way."""

from django.db import models
from django.db.models import Q


def choices_check(
    field: str, choices: type[models.TextChoices], name: str, *, blank: bool = False
) -> models.CheckConstraint:
    """`field` holds one of `choices` (or is empty, when `blank`)."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)


def not_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)
