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


def test_a_high_rate_is_added_to_the_shared_counter_in_steps(user_factory, monkeypatch):
    """60,000 a minute: steps of 60. The first hit in a window is added at once (so other processes
    see the client), then every 60th, each carrying the hits counted in between."""
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "60000/minute"})
    monkeypatch.setattr(UserThrottle, "timer", lambda self: 600.0)
    request = APIRequestFactory().get("/")
    request.user = user_factory()
    key = f"{UserThrottle().get_cache_key(request, None)}:10"

    def shared_after(hits: int) -> int:
        for _ in range(hits):
            assert UserThrottle().allow_request(request, None)
        return cache.get(key)

    assert shared_after(1) == 1
    assert shared_after(59) == 1  # 60 hits counted, 59 of them only in this process
    assert shared_after(1) == 61
    assert shared_after(60) == 121


def test_a_stepped_rate_still_refuses_the_hit_past_it_and_sees_other_processes(user_factory, monkeypatch):
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "2000/minute"})  # steps of 2
    monkeypatch.setattr(UserThrottle, "timer", lambda self: 600.0)
    request = APIRequestFactory().get("/")
    request.user = user_factory()

    def allowed() -> bool:
        return UserThrottle().allow_request(request, None)

    assert all(allowed() for _ in range(1000))  # the 1,000th waits for the next step
    key = f"{UserThrottle().get_cache_key(request, None)}:10"
    assert cache.get(key) == 999
    cache.incr(key, 999)  # another process's hits, added to the shared counter
    assert allowed()  # this process adds its step: 1,001 + 999 = 2,000, the rate
    assert cache.get(key) == 2000
    assert not allowed()  # seen with the other process's hits: past the rate


def test_the_stepped_count_is_exact_in_one_process(user_factory, monkeypatch):
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "5000/minute"})  # steps of 5
    monkeypatch.setattr(UserThrottle, "timer", lambda self: 600.0)
    request = APIRequestFactory().get("/")
    request.user = user_factory()
    outcomes = [UserThrottle().allow_request(request, None) for _ in range(5002)]
    assert outcomes.count(True) == 5000 and outcomes[-2:] == [False, False]


def test_hits_counted_while_another_thread_adds_its_step_include_that_step(monkeypatch):
    """A gthread worker's threads share the process's count: a hit decided while another thread's
    addition is on its way to Redis counts the hits being added, so one process never lets a client
    past its rate (here 2,000, steps of 2)."""
    import threading

    from contactcentre import throttling

    key, rate = "throttle-test:stepped", 2000
    for _ in range(1999):  # the 1,999th is added: the shared count is 1,999
        throttling.hit_count_stepped(cache, key, 60, 2)
    assert throttling.hit_count_stepped(cache, key, 60, 2) == rate  # counted here, not yet added
    on_its_way, release = threading.Event(), threading.Event()
    add = throttling.hit_count

    def slow_add(*args, **kwargs):
        on_its_way.set()
        release.wait(10)
        return add(*args, **kwargs)

    monkeypatch.setattr(throttling, "hit_count", slow_add)
    counts = {}
    adding = threading.Thread(target=lambda: counts.update(a=throttling.hit_count_stepped(cache, key, 60, 2)))
    adding.start()
    assert on_its_way.wait(10)
    counts["b"] = throttling.hit_count_stepped(cache, key, 60, 2)  # decided while the step is on its way
    release.set()
    adding.join(10)
    assert counts["b"] == 2002 and counts["a"] > rate  # both past the rate: refused
    assert cache.get(key) == 2001
