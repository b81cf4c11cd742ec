"""Every URL pattern can be filled with ids of A's objects (else the generated suites could not cover it)."""

import pytest

from .urlmap import concrete_paths, patterns, unfilled_parameters

pytestmark = pytest.mark.django_db


def test_every_parameter_of_every_pattern_has_a_generator():
    missing = {p.route: unfilled_parameters(p) for p in patterns() if unfilled_parameters(p)}
    assert missing == {}, "add these parameters to tests/security/urlmap.py (BY_NAME, LITERAL or BY_ROUTE)"


def test_every_pattern_is_reached_by_its_concrete_paths(world):
    unreached = [p.route for p in patterns() if not concrete_paths(world, p)]
    assert unreached == []
    assert len(patterns()) > 200  # the walk found the whole configuration (API, admin, web, OAuth)
