"""The API's shared parts: authentication, the base permission and pagination (errors: api_errors.py).

Kept free of rest_framework.views imports: DRF imports this module while loading its settings."""

from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from rest_framework import exceptions, permissions
from rest_framework.authentication import get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle

from .cache import ProcessMemo
from .throttling import AnonThrottle

# Valid tokens only (a refused token is never remembered), keyed by their SHA-512 digest.
recent_tokens = ProcessMemo("API_TOKEN_CACHE_SECONDS")
# Addresses found under the wrong-token limit, keyed by the throttle's cache key; an address is
# forgotten the moment it sends a wrong token here.
clean_addresses = ProcessMemo("API_TOKEN_CACHE_SECONDS")


class FailedTokenThrottle(SimpleRateThrottle):
    """Failed token logins per client address (scope "token_failure"): `blocked()` looks without
    counting, `record_failure()` counts one."""

    scope = "token_failure"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def blocked(self, request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def refuse_if_blocked(self, request) -> bool:
        """Raise Throttled if the address is past its limit; else True."""
        if self.blocked(request):
            raise exceptions.Throttled(self.wait())
        return True

    def record_failure(self, request) -> None:
        if not hasattr(self, "history"):
            self.blocked(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`. Tokens are stored as SHA-512 digests (django-rest-knox), issued
    per API client and revocable; see `manage.py api_token`.

    DRF authenticates before it throttles, so wrong tokens would never meet a throttle: failures are
    counted here, per address, and an address past the limit is refused (429) before any token it
    sends is looked at, right or wrong, until the window passes. A process that found an address
    under the limit does not ask the cache again for API_TOKEN_CACHE_SECONDS (a round trip on
    every call, the telephony platform's included), unless the address sends it a wrong token: a
    guesser gains at most one guess per process, and failures counted by other processes are seen
    within those seconds, as revocations are."""

    def authenticate_credentials(self, token: bytes):
        """knox's check (a query, the digest compared), remembered for API_TOKEN_CACHE_SECONDS."""
        try:
            digest = hash_token(token.decode())
        except (TypeError, ValueError):  # not hex: knox refuses it
            return super().authenticate_credentials(token)
        check = super().authenticate_credentials
        return recent_tokens.get_or_compute(digest, lambda: check(token))

    def _cleanup_token(self, auth_token) -> bool:
        # knox scans all the user's tokens for expired ones on every call; ours never expire
        # (TOKEN_TTL None: revoked instead), so only this token's own expiry is looked at.
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()

    def authenticate(self, request):
        if not get_authorization_header(request):
            return None
        throttle = FailedTokenThrottle()
        address = throttle.get_cache_key(request, None)
        clean_addresses.get_or_compute(address, lambda: throttle.refuse_if_blocked(request))
        try:
            return super().authenticate(request)
        except (exceptions.AuthenticationFailed, UnicodeDecodeError) as error:
            clean_addresses.forget(address)
            throttle.record_failure(request)
            if isinstance(error, UnicodeDecodeError):
                raise exceptions.AuthenticationFailed("Invalid token.") from None
            raise


class CanUseApi(permissions.BasePermission):
    """Authenticated, active, and in a role that may call the API.

    An anonymous caller is refused here, before DRF's throttles run; so the anonymous rate is
    applied here too, and a flood of anonymous calls gets 429s rather than endless 401s."""

    message = "You do not have permission to use the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            throttle = AnonThrottle()
            if not throttle.allow_request(request, view):
                raise exceptions.Throttled(throttle.wait())
            return False
        return bool(user.is_active and user.has_perm("staff.use_api"))


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def requires(*permissions: str) -> type[permissions.BasePermission]:
    """A permission class: the caller may use the API and holds every one of `permissions`."""

    class Requires(CanUseApi):
        def has_permission(self, request, view) -> bool:
            return super().has_permission(request, view) and request.user.has_perms(permissions)

    Requires.__name__ = f"Requires({', '.join(permissions)})"
    return Requires


def requires_any(*permissions: str) -> type[permissions.BasePermission]:
    """A permission class: the caller may use the API and holds at least one of `permissions`."""

    class RequiresAny(CanUseApi):
        def has_permission(self, request, view) -> bool:
            return super().has_permission(request, view) and any(request.user.has_perm(p) for p in permissions)

    RequiresAny.__name__ = f"RequiresAny({', '.join(permissions)})"
    return RequiresAny
