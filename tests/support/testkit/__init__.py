"""Helpers for the tests and benchmarks, kept out of the installed package: import the modules.

- :mod:`testkit.clips`: test clips written with plain PyAV (frames with known motion, a tone) and audio checks.
- :mod:`testkit.datasets`: the ``frames`` training layout on disk.
- :mod:`testkit.vipe`: ViPE's output written from known camera views.
- :mod:`testkit.synthetic`: a rendered scene with known geometry, scoring a propagator on it, and writing it out.
- :mod:`testkit.pipelines`: randomly initialised diffusers pipelines (tiny for tests, full-size for benchmarks).

On the path as ``testkit`` (never ``tests.testkit``: a third-party package owns the name ``tests``): pytest adds
``tests/`` (``pythonpath`` in pyproject.toml), the benchmarks add it themselves.
"""
