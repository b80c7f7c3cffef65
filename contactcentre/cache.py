"""Django's Redis cache, keeping one redis client per connection pool.

Django builds a new `redis.Redis` object for every cache call; with redis-py 5 and later that costs
about half a millisecond (it rebuilds its table of response callbacks each time), and every API call
makes several cache calls (throttles, cached permissions). A client is thread-safe and the pool it
wraps is fork-safe, so one per pool serves every call."""

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
