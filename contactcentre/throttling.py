"""The API's rate limits, counted rather than logged.

DRF's SimpleRateThrottle keeps the time of every request a client made in the window, as one list
in the cache that each request reads whole, extends and writes back whole. At a telephony
platform's rate (thousands of requests a minute) that is a list of tens of thousands of floats
pickled both ways on every request, and two cache round trips. These throttles keep one counter per
client and window instead (fixed windows as long as the rate's period) and make one atomic
increment per request. The price of fixed windows: a client may get up to twice its rate across
a window's edge."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


def hit_count(cache, key: str, seconds: int) -> int:
    """Count one hit under `key`, which lasts `seconds` from its first hit; returns the count."""
    count = getattr(cache, "incr_expiring", None)
    if count is not None:  # the Redis cache (contactcentre.cache): one round trip
        return count(key, seconds)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, seconds)
        return 1


class CountingThrottle(SimpleRateThrottle):
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return hit_count(self.cache, f"{key}:{window}", self.duration + 1) <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends - self.now)


class UserThrottle(CountingThrottle, UserRateThrottle):
    """Per user (API client), scope "user"."""


class AnonThrottle(CountingThrottle, AnonRateThrottle):
    """Per client address, scope "anon"."""
