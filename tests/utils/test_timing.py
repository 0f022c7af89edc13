import threading
import time

import pytest

from colorize.utils.timing import StageTimes, per_frame


def test_blocks_are_summed_per_group_and_stage():
    times = StageTimes()
    for _ in range(3):
        with times("main", "sleeping"):
            time.sleep(0.01)
    with times("output", "writing"):
        pass
    summary = times.summary()
    assert set(summary) == {"main", "output"}
    assert 0.03 <= summary["main"]["sleeping"] < 0.3
    assert summary["output"]["writing"] < 0.01


def test_a_block_that_raises_is_still_timed():
    times = StageTimes()
    with pytest.raises(ValueError), times("main", "failing"):
        time.sleep(0.01)
        raise ValueError("stop")
    assert times.summary()["main"]["failing"] >= 0.01


def test_iterate_times_the_wait_for_each_item_and_passes_them_on():
    def slow():
        for item in range(4):
            time.sleep(0.01)
            yield item

    times = StageTimes()
    consumed = []
    for item in times.iterate("main", "reading", slow()):
        consumed.append(item)
        time.sleep(0.02)  # the consumer's own work is not the wait
    assert consumed == [0, 1, 2, 3]
    # 4 waits of 10 ms; the 80 ms of work not counted (slack above for a loaded machine)
    assert 0.04 <= times.summary()["main"]["reading"] < 0.3


def test_threads_add_to_one_record():
    times = StageTimes()

    def work():
        for _ in range(1000):
            times.add("worker", "adding", 0.001)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert times.summary()["worker"]["adding"] == pytest.approx(4.0)


def test_per_frame_line_lists_the_largest_stage_first():
    times = StageTimes()
    times.add("main", "reading", 0.1)
    times.add("main", "colorizing", 2.0)
    times.add("output", "writing", 0.5)
    assert per_frame(times.summary(), 100) == "main: colorizing 20.0, reading 1.0 | output: writing 5.0"
    assert per_frame(times.summary(), 0) == "no frames"
