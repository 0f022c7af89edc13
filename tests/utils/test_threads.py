"""Module-level thread pools keep working in a forked child (DataLoader workers, multiprocessing on Linux)."""

import multiprocessing
import queue as queue_module

import numpy as np
import pytest

from colorize.color import compose_lab
from colorize.utils.threads import SharedPool


def _in_forked_child(function) -> object:
    """``function()`` run in a child forked from this process; fails (instead of hanging) after 30 s."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=lambda: queue.put(function()))
    child.start()
    try:
        return queue.get(timeout=30)  # before join: a child exits only once its queue is read
    except queue_module.Empty:
        pytest.fail("the forked child hung")
    finally:
        child.kill()
        child.join()


def test_shared_pool_is_made_anew_in_a_forked_child():
    pool = SharedPool(2, "test")
    assert pool.get().submit(sum, [1, 2]).result() == 3  # threads started in this process
    assert pool.get() is pool.get()
    assert _in_forked_child(lambda: pool.get().submit(sum, [3, 4]).result(timeout=10)) == 7


def test_compose_lab_in_strips_after_a_fork():
    # A 720x1280 frame is composed in strips on the pool's threads; a plain executor made at import hung here.
    lum = np.full((720, 1280), 50.0, np.float32)
    ab = np.full((720, 1280, 2), 10.0, np.float32)
    expected = compose_lab(lum, ab)
    np.testing.assert_array_equal(_in_forked_child(lambda: compose_lab(lum, ab)), expected)
