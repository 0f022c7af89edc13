"""Iterator helpers."""

import threading
import time

import pytest

from colorize.utils.iterators import read_ahead, with_next


def test_with_next_pairs_each_item_with_the_following_one():
    assert list(with_next(iter([1, 2, 3]))) == [(1, 2), (2, 3), (3, None)]
    assert list(with_next([])) == []
    assert list(with_next([None, 0])) == [(None, 0), (0, None)]  # falsy items are items


def test_with_next_reads_one_item_ahead():
    read = []
    source = (read.append(i) or i for i in range(5))
    pairs = with_next(source)
    assert next(pairs) == (0, 1) and read == [0, 1]


def test_read_ahead_gives_the_items_in_order_from_another_thread():
    threads = []
    source = (threads.append(threading.current_thread().name) or i for i in range(50))
    assert list(read_ahead(source, depth=3)) == list(range(50))
    assert set(threads) == {"colorize-read-ahead"}
    assert list(read_ahead([])) == []


def test_read_ahead_reads_at_most_depth_items_ahead():
    read = []
    items = read_ahead((read.append(i) or i for i in range(100)), depth=3)
    assert next(items) == 0
    deadline = time.monotonic() + 5
    while len(read) < 5 and time.monotonic() < deadline:  # the thread fills the buffer
        time.sleep(0.01)
    time.sleep(0.1)  # and would go on reading here if it were not bounded
    assert len(read) == 5  # one taken, three waiting in the buffer, one read and waiting for room
    items.close()


def test_read_ahead_raises_the_source_error_after_the_items_before_it():
    def source():
        yield 1
        yield 2
        raise ValueError("broken frame 3")

    items = read_ahead(source())
    assert [next(items), next(items)] == [1, 2]
    with pytest.raises(ValueError, match="broken frame 3"):
        next(items)


def test_read_ahead_closed_early_stops_its_thread_and_closes_the_source():
    closed = threading.Event()

    def source():
        try:
            yield from range(10_000)
        finally:
            closed.set()

    items = read_ahead(source(), depth=2)
    assert next(items) == 0
    items.close()
    assert closed.is_set()  # the source's clean-up ran before close returned
    assert not any(thread.name == "colorize-read-ahead" for thread in threading.enumerate())
