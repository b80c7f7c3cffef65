"""The API's rate limits count hits per client and window (contactcentre.throttling), on the real
Redis cache and on the in-process cache the demo uses."""

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIRequestFactory

from contactcentre.cache import ReusingRedisCache
from contactcentre.throttling import UserThrottle, hit_count

pytestmark = pytest.mark.django_db


def test_the_redis_cache_counts_in_one_round_trip_and_the_counter_expires():
    assert isinstance(caches["default"], ReusingRedisCache)
    assert [cache.incr_expiring("hits:a", 60) for _ in range(3)] == [1, 2, 3]
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_key("hits:a")) <= 60  # set by the first hit, not pushed back
    assert cache.get("hits:a") == 3


def test_other_caches_count_the_same_way():
    local = LocMemCache("throttle-test", {})
    assert [hit_count(local, "hits:b", 60) for _ in range(3)] == [1, 2, 3]


def test_a_client_past_its_rate_waits_for_the_next_window(user_factory, monkeypatch):
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    clock = [600.0]  # the start of a window
    monkeypatch.setattr(UserThrottle, "timer", lambda self: clock[0])
    request = APIRequestFactory().get("/")
    request.user = user_factory()

    def allowed() -> bool:
        return UserThrottle().allow_request(request, None)

    assert [allowed() for _ in range(4)] == [True, True, True, False]
    clock[0] = 645.0
    throttle = UserThrottle()
    assert throttle.allow_request(request, None) is False
    assert throttle.wait() == 15.0  # until the window ends
    clock[0] = 660.0
    assert allowed()  # a new window
