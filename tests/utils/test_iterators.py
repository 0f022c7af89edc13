"""Iterator helpers."""

from colorize.utils.iterators import with_next


def test_with_next_pairs_each_item_with_the_following_one():
    assert list(with_next(iter([1, 2, 3]))) == [(1, 2), (2, 3), (3, None)]
    assert list(with_next([])) == []
    assert list(with_next([None, 0])) == [(None, 0), (0, None)]  # falsy items are items


def test_with_next_reads_one_item_ahead():
    read = []
    source = (read.append(i) or i for i in range(5))
    pairs = with_next(source)
    assert next(pairs) == (0, 1) and read == [0, 1]
