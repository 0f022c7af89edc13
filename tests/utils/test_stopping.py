"""Ctrl-C / SIGTERM taken at a loop's stop points instead of wherever the main thread is."""

import pytest

from colorize.utils import stopping
from colorize.utils.cli import Terminated
from colorize.utils.stopping import deferred_stop, raise_or_defer, stop_point


@pytest.fixture(autouse=True)
def _no_stop_left():
    yield
    stopping._pending = None


def test_outside_a_deferred_region_the_stop_is_raised_at_once():
    with pytest.raises(Terminated):
        raise_or_defer(Terminated())


def test_inside_the_stop_waits_for_the_next_stop_point():
    done = []
    with pytest.raises(KeyboardInterrupt), deferred_stop():
        for step in range(5):
            stop_point()
            done.append(step)
            if step == 2:
                raise_or_defer(KeyboardInterrupt())  # as the signal handler does, in the middle of step 2
    assert done == [0, 1, 2]  # step 2 finished; step 3 never started
    stop_point()  # raised once: nothing left


def test_a_stop_after_the_last_stop_point_is_raised_when_the_region_ends():
    finished = False
    with pytest.raises(Terminated):
        with deferred_stop():
            raise_or_defer(Terminated())
            finished = True
    assert finished


def test_another_error_is_not_masked_and_nesting_keeps_deferring():
    with pytest.raises(ValueError), deferred_stop():
        with deferred_stop():
            pass
        raise_or_defer(Terminated())  # still deferred: the outer region is open
        raise ValueError("the loop's own error")
