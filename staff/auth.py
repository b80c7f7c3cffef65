"""Authentication rules: browser logins for people, and each user's permissions, cached."""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from .roles import Role


class EmailBackend(ModelBackend):
    """Django's model backend; API clients (machine users) may never log into the browser, even if
    someone gave the account a password. (Checked when a password is tried, not on every request.)"""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.groups.filter(name=Role.API_CLIENT).exists():
            return None
        return user

    def get_all_permissions(self, user_obj, obj=None):
        """Django's answer, kept in the cache between requests: every API call and page checks
        permissions, and working them out costs two joined queries. Changing a person's roles or
        user permissions forgets theirs (signals in staff/apps.py); re-syncing the roles forgets
        everyone's (a new version); and no cached answer lives longer than PERMISSIONS_CACHE_SECONDS."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = permissions_cache_key(user_obj.pk)
            cached = cache.get(key)
            if cached is None:
                cached = super().get_all_permissions(user_obj)
                cache.set(key, cached, PERMISSIONS_CACHE_SECONDS)
            user_obj._perm_cache = cached
        return user_obj._perm_cache


PERMISSIONS_CACHE_SECONDS = 300
_VERSION_KEY = "staff:permissions:version"


def permissions_cache_key(user_id: int) -> str:
    return f"staff:permissions:{cache.get_or_set(_VERSION_KEY, 1)}:{user_id}"


def permissions_forget(user_id: int | None = None) -> None:
    """Forget one user's cached permissions, or everyone's (user_id None)."""
    if user_id is None:
        try:
            cache.incr(_VERSION_KEY)
        except ValueError:
            cache.set(_VERSION_KEY, 2)
    else:
        cache.delete(permissions_cache_key(user_id))


def lockout_username(request, credentials: dict | None = None) -> str:
    """The login as django-axes should count it: emails are case-insensitive here, so failures with
    Target@… and target@… count against one account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
