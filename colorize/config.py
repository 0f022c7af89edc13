"""Settings as nested dataclasses, read from YAML, with unknown keys rejected and overrides type-checked.

``load_config(path, overrides)`` reads a YAML file into a dataclass (``PipelineConfig`` by default) and
applies ``{"propagation.max_side": 480}``-style overrides. Any key the dataclass does not declare is an
error naming the key, never a silently ignored setting. A dataclass with a ``rewrite_keys(data, where)``
classmethod gets the raw mapping first, to map another spelling (e.g. the seed's ``colorization:`` block)
onto its fields.
"""

import dataclasses
import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml

from colorize.errors import ColorizeError

T = TypeVar("T")


class ConfigError(ColorizeError):
    """A config file or override names an unknown key or gives a value of the wrong type."""


def from_dict(cls: type[T], data: dict[str, Any] | None, where: str = "config") -> T:
    """Build dataclass ``cls`` from a (nested) dict; unknown keys and wrong types raise ConfigError."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    rewrite = getattr(cls, "rewrite_keys", None)  # a class that also reads another spelling maps it here
    if rewrite is not None:
        data = rewrite(dict(data), where)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(fields)}")
    hints = typing.get_type_hints(cls)
    kwargs = {name: _convert(hints[name], value, f"{where}.{name}") for name, value in data.items()}
    try:
        return cls(**kwargs)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None


def to_dict(config: Any) -> dict[str, Any]:
    """Plain nested dict of a dataclass config (for run.json and saving)."""
    return dataclasses.asdict(config)


def apply_overrides(config: T, overrides: dict[str, Any]) -> T:
    """Return a copy of ``config`` with dotted-key overrides applied, e.g. ``{"propagation.max_side": 480}``."""
    data = to_dict(config)
    for dotted, value in overrides.items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            if not isinstance(node.get(key), dict):
                raise ConfigError(f"unknown config key {dotted!r}")
            node = node[key]
        if leaf not in node:
            raise ConfigError(f"unknown config key {dotted!r}")
        node[leaf] = value
    return from_dict(type(config), data)


class _Loader(yaml.SafeLoader):
    """YAML with only ``true``/``false`` as booleans (YAML 1.2): ``no``, ``off``, ``yes``, ``on`` stay strings,
    so ``mixed_precision: no`` means the string "no", not False."""


_Loader.yaml_implicit_resolvers = {key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
                                   for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def read_yaml(text: str) -> Any:
    """Parse YAML text the way every config of this project is read (booleans are only true/false)."""
    return yaml.load(text, Loader=_Loader)


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["training.epochs=3"]`` (``--set`` arguments) -> ``{"training.epochs": 3}``, values read as YAML."""
    overrides = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects KEY=VALUE, got {item!r}")
        overrides[key.strip()] = read_yaml(value)
    return overrides


def load_config(cls: type[T], path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> T:
    """Read ``cls`` from a YAML file (defaults when ``path`` is None) and apply ``overrides``."""
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            data = read_yaml(path.read_text()) or {}
        except yaml.YAMLError as err:
            raise ConfigError(f"config file {path} is not valid YAML: {str(err).splitlines()[0]}") from None
    config = from_dict(cls, data, where=str(path or "config"))
    return apply_overrides(config, overrides or {})


def _convert(hint: Any, value: Any, where: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return value if isinstance(value, hint) else from_dict(hint, value, where)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        hint = next(option for option in options if option is not type(None))
        origin = typing.get_origin(hint)
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        return origin(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(hint, type) and not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {hint.__name__}, got {value!r}")
    return value
