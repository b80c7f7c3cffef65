"""The API's shared parts: authentication, the base permission and pagination (errors: api_errors.py).

Kept free of rest_framework.views imports: DRF imports this module while loading its settings."""
from knox.auth import TokenAuthentication
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`. Tokens are stored as SHA-512 digests (django-rest-knox), issued
    per API client and revocable; see `manage.py api_token`."""


class CanUseApi(permissions.BasePermission):
    """Authenticated, active, and in a role that may call the API."""

    message = "You do not have permission to use the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("staff.use_api"))


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
