"""The Redis queue's worker warns at start when its Redis may evict queued jobs."""

import redis

from jobs.rq_worker import eviction_problem


class FakeRedis:
    def __init__(self, config=None, refuse=False):
        self.config, self.refuse = config or {}, refuse

    def config_get(self, pattern):
        if self.refuse:
            raise redis.ResponseError("unknown command 'CONFIG'")
        return self.config


def test_an_evicting_redis_is_named_with_its_policy_and_the_fix():
    problem = eviction_problem(FakeRedis({"maxmemory": "104857600", "maxmemory-policy": "allkeys-lru"}))
    assert problem.startswith("the job queue's Redis evicts keys when full (maxmemory-policy allkeys-lru, "
                              "maxmemory 104857600): queued jobs can be lost; set maxmemory-policy noeviction")


def test_no_limit_noeviction_or_an_unknown_config_say_nothing():
    assert eviction_problem(FakeRedis({"maxmemory": "0", "maxmemory-policy": "allkeys-lru"})) is None
    assert eviction_problem(FakeRedis({"maxmemory": "1000", "maxmemory-policy": "noeviction"})) is None
    assert eviction_problem(FakeRedis(refuse=True)) is None
