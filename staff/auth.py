"""Authentication rules for people (browser logins)."""

from django.contrib.auth.backends import ModelBackend

from .roles import Role


class EmailBackend(ModelBackend):
    """Django's model backend; API clients (machine users) may never log into the browser, even if
    someone gave the account a password. (Checked when a password is tried, not on every request.)"""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.groups.filter(name=Role.API_CLIENT).exists():
            return None
        return user


def lockout_username(request, credentials: dict | None = None) -> str:
    """The login as django-axes should count it: emails are case-insensitive here, so failures with
    Target@… and target@… count against one account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
