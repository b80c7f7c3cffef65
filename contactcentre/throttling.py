"""The API's rate limits, counted rather than logged.

DRF's SimpleRateThrottle keeps the time of every request a client made in the window, as one list
in the cache that each request reads whole, extends and writes back whole. At a telephony
platform's rate (thousands of requests a minute) that is a list of tens of thousands of floats
pickled both ways on every request, and two cache round trips. These throttles keep one counter per
client and window instead (fixed windows as long as the rate's period) and make one atomic
increment per request. The price of fixed windows: a client may get up to twice its rate across
a window's edge.

At high rates (a telephony platform's 60,000 a minute) even one round trip per request is a
noticeable share of a small request, so a process counts such a client's hits itself and adds
them to the shared counter in steps of a thousandth of the rate (`STEP_PER_RATE`): at its first
hit in a window, then every step. A process decides on the shared count it last saw plus its own
hits since (those being added included), so it misses at most the other processes' hits not yet
added: a client may get past its rate by up to about (processes - 1) x (step + threads a process)
requests a window, 0.1% of the rate a process and a few. Within one process the count is exact.
Rates under 2,000 a window are counted hit by hit, as before."""

import threading

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

# A rate of N a window is counted in steps of N // STEP_PER_RATE hits (1, exact, below 2 x this).
STEP_PER_RATE = 1000
# This process's hits not yet added to the shared counters, the count each counter last had, and
# the hits being added (sent, not yet answered): key -> [not added, shared count seen, being added].
# Keys name their window, so an old window's entry is never used again; the table starts afresh
# past this many entries.
_MAX_LOCAL_COUNTERS = 4096
_local_counters: dict[str, list[int]] = {}
_local_lock = threading.Lock()


def hit_count(cache, key: str, seconds: int, *, amount: int = 1) -> int:
    """Count `amount` hits under `key`, which lasts `seconds` from its first hit; returns the count."""
    count = getattr(cache, "incr_expiring", None)
    if count is not None:  # the Redis cache (contactcentre.cache): one round trip
        return count(key, seconds, amount=amount)
    if cache.add(key, amount, seconds):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between the two calls
        cache.add(key, amount, seconds)
        return amount


def hit_count_stepped(cache, key: str, seconds: int, step: int) -> int:
    """Count one hit under `key` as `hit_count` does, adding this process's hits to the shared
    counter at its first hit and then every `step` hits; returns the shared count last seen plus
    this process's hits since, those being added by other threads included (while an addition is
    on its way, its hits may be counted twice: erring towards refusing)."""
    with _local_lock:
        entry = _local_counters.get(key)
        if entry is not None and entry[0] + 1 < step:
            entry[0] += 1
            return sum(entry)
        if entry is None:
            if len(_local_counters) >= _MAX_LOCAL_COUNTERS:
                _local_counters.clear()
            entry = _local_counters[key] = [0, 0, 0]
        amount = entry[0] + 1  # the hits this call adds; later ones wait for the next step
        entry[0], entry[2] = 0, entry[2] + amount
    try:
        total = hit_count(cache, key, seconds, amount=amount)
    finally:
        with _local_lock:
            entry[2] -= amount
    with _local_lock:
        entry[1] = max(entry[1], total)
        return sum(entry)


def local_counters_forget() -> None:
    """Drop this process's unsent hits and remembered counts (tests, after clearing the cache)."""
    with _local_lock:
        _local_counters.clear()


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
        step = self.num_requests // STEP_PER_RATE
        if step > 1:
            return hit_count_stepped(self.cache, f"{key}:{window}", self.duration + 1, step) <= self.num_requests
        return hit_count(self.cache, f"{key}:{window}", self.duration + 1) <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends - self.now)


class UserThrottle(CountingThrottle, UserRateThrottle):
    """Per user (API client), scope "user"."""


class AnonThrottle(CountingThrottle, AnonRateThrottle):
    """Per client address, scope "anon"."""
