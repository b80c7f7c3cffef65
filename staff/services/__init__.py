"""Writes of the staff app, a module per area (people: users, roles and API tokens; employees;
recruitment; training; appraisal; quality). Import the area modules by name (staff.services.training);
the people functions are also here, where the rest of the project has always found them."""

from .people import (
    IssuedToken,
    UnknownRole,
    api_token_create,
    api_token_revoke,
    roles_sync,
    user_create,
    user_language_set,
)

__all__ = [
    "IssuedToken",
    "UnknownRole",
    "api_token_create",
    "api_token_revoke",
    "roles_sync",
    "user_create",
    "user_language_set",
]
