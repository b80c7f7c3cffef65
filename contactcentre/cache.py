"""Django's Redis cache, keeping one redis client per connection pool.

Django builds a new `redis.Redis` object for every cache call; with redis-py 5 and later that costs
about half a millisecond (it rebuilds its table of response callbacks each time), and every API call
makes several cache calls (throttles, cached permissions). A client is thread-safe and the pool it
wraps is fork-safe, so one per pool serves every call."""

import time

from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._scripts = {}  # a registered script per redis client

    def incr_expiring(self, key: str, timeout: int, version=None, *, amount: int = 1) -> int:
        """Add `amount` to the counter `key`, created with a lifetime of `timeout` seconds if
        missing; one round trip (Django's `incr` makes two, and `add` then `incr` three)."""
        key = self.make_and_validate_key(key, version=version)
        pipe = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipe.set(key, 0, ex=timeout, nx=True)
        pipe.incrby(key, amount)
        return pipe.execute()[1]

    def set_unless_later(
        self, key: str, value: int, *, later_than: int, timeout: int, version=None
    ) -> tuple[bool, int]:
        """`set_unless_later` in one atomic round trip (a script run by Redis)."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_SET_UNLESS_LATER)
        stored, current = script(keys=[key], args=[value, later_than, timeout])
        return bool(stored), int(current)


# Integers, so that Django's serializer reads them back as they are (it pickles everything else);
# the numbers travel as strings, as Redis would cut a script's numeric answer to an integer anyway.
_SET_UNLESS_LATER = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current and current > tonumber(ARGV[2]) then return {0, tostring(current)} end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return {1, ARGV[1]}
"""


def set_unless_later(cache, key: str, value: int, *, later_than: int, timeout: int) -> tuple[bool, int]:
    """Unless `key` holds an integer greater than `later_than`, set it to `value` (for `timeout`
    seconds). Answers (True, value) when it did, else (False, the integer found). Atomic on the
    Redis cache; elsewhere two calls, where two callers may both set it."""
    if isinstance(cache, ReusingRedisCache):
        return cache.set_unless_later(key, value, later_than=later_than, timeout=timeout)
    current = cache.get(key)
    if isinstance(current, int) and current > later_than:
        return False, current
    cache.set(key, value, timeout=timeout)
    return True, value


class ProcessMemo:
    """A few seconds' memory inside this process, for what every API call reads and almost never
    changes (who a token belongs to, a client's signing secret): a dict lookup instead of a query.
    A change made elsewhere is seen within the lifetime, read from the setting named on each call
    (0 turns the memory off). Bounded: past `max_entries` it starts afresh."""

    def __init__(self, seconds_setting: str, *, max_entries: int = 1024):
        self.seconds_setting, self.max_entries = seconds_setting, max_entries
        self._entries: dict = {}

    def get_or_compute(self, key, compute):
        from django.conf import settings

        seconds = getattr(settings, self.seconds_setting)
        if not seconds:
            return compute()
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = compute()  # an exception is not remembered
        if len(self._entries) >= self.max_entries:
            self._entries = {}
        self._entries[key] = (now + seconds, value)
        return value

    def forget(self, key) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries = {}


def shared_between_processes(cache) -> bool:
    """Whether what one process puts in `cache` is seen by the others (web and worker): not for the
    demo's local-memory cache."""
    return not isinstance(cache, LocMemCache | DummyCache)
