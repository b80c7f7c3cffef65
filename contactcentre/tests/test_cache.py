from django.core.cache import caches

from contactcentre.cache import ReusingRedisCache


def test_the_redis_cache_reuses_its_client_and_still_works():
    cache = caches["default"]
    assert isinstance(cache, ReusingRedisCache)
    cache.set("tawasul-test-key", {"a": 1}, 30)
    assert cache.get("tawasul-test-key") == {"a": 1}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.delete("tawasul-test-key")
    assert cache.get("tawasul-test-key") is None
