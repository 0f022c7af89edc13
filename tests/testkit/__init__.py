"""Helpers for the tests and benchmarks, kept out of the installed package: import the modules.

- :mod:`testkit.clips`: test clips written with plain PyAV, audio checks, files in the layouts the library reads.
- :mod:`testkit.synthetic`: a rendered scene with known geometry, and scoring a propagator on it.
- :mod:`testkit.pipelines`: randomly initialised diffusers pipelines (tiny for tests, full-size for benchmarks).

On the path as ``testkit`` (never ``tests.testkit``: a third-party package owns the name ``tests``): pytest adds
``tests/`` (``pythonpath`` in pyproject.toml), the benchmarks add it themselves.
"""
