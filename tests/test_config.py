"""Config loading: nested dataclasses from YAML, unknown keys and wrong types rejected, dotted overrides."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from colorize.config import ConfigError, apply_overrides, from_dict, load_config, parse_overrides, read_yaml, to_dict
from colorize.errors import ColorizeError
from colorize.pipeline import OutputConfig, PipelineConfig
from colorize.propagation import AnchoredConfig, PropagationConfig, SceneCutConfig

PRESET = Path(__file__).resolve().parents[1] / "configs" / "pipeline" / "colorization.yaml"


@dataclass
class Inner:
    rate: float = 0.5
    count: int = 3


@dataclass
class Outer:
    name: str = "x"
    flag: bool = False
    maybe: int | None = None
    items: list[str] = field(default_factory=list)
    pair: tuple[int, int] = (1, 2)
    inner: Inner = field(default_factory=Inner)

    def __post_init__(self) -> None:
        if self.name == "bad":
            raise ValueError("name must not be 'bad'")


# ---------------------------------------------------------------- from_dict
def test_empty_and_none_give_defaults():
    assert from_dict(Outer, {}) == Outer()
    assert from_dict(Outer, None) == Outer()
    assert from_dict(Outer, {"inner": None}) == Outer()  # an empty YAML section


def test_nested_dataclasses_are_built():
    config = from_dict(Outer, {"name": "y", "inner": {"count": 7}})
    assert config == Outer(name="y", inner=Inner(rate=0.5, count=7))
    assert isinstance(config.inner, Inner)
    assert from_dict(Outer, {"inner": Inner(count=9)}).inner.count == 9  # an instance is taken as is


def test_unknown_key_is_named():
    with pytest.raises(ConfigError, match="config: unknown key\\(s\\) colour; known keys: name, flag"):
        from_dict(Outer, {"colour": 1})
    with pytest.raises(ConfigError, match="config.inner: unknown key\\(s\\) counts, ratio"):
        from_dict(Outer, {"inner": {"ratio": 1.0, "counts": 2}})


def test_unknown_key_deep_in_the_pipeline_config():
    with pytest.raises(ConfigError, match="config.propagation.anchored: unknown key\\(s\\) key_scael"):
        from_dict(PipelineConfig, {"propagation": {"anchored": {"key_scael": 3.0}}})


@pytest.mark.parametrize("data, message", [
    ({"inner": {"count": "3"}}, "config.inner.count: expected int, got '3'"),
    ({"inner": {"count": 3.0}}, "config.inner.count: expected int, got 3.0"),
    ({"inner": {"count": True}}, "config.inner.count: expected int, got True"),
    ({"inner": {"rate": True}}, "config.inner.rate: expected float, got True"),
    ({"inner": {"rate": "0.5"}}, "config.inner.rate: expected float, got '0.5'"),
    ({"flag": 1}, "config.flag: expected bool, got 1"),
    ({"flag": "yes"}, "config.flag: expected bool, got 'yes'"),
    ({"name": 5}, "config.name: expected str, got 5"),
    ({"maybe": "1"}, "config.maybe: expected int, got '1'"),
    ({"items": "a,b"}, "config.items: expected a list, got 'a,b'"),
    ({"inner": 5}, "config.inner: expected a mapping, got int"),
])
def test_wrong_types_are_rejected_with_the_key(data, message):
    with pytest.raises(ConfigError) as info:
        from_dict(Outer, data)
    assert str(info.value) == message


def test_int_is_accepted_for_float():
    config = from_dict(Outer, {"inner": {"rate": 2}})
    assert config.inner.rate == 2.0 and type(config.inner.rate) is float


def test_optional_list_and_tuple():
    config = from_dict(Outer, {"maybe": None, "items": ["b", "a"], "pair": [3, 4]})
    assert config.maybe is None and config.items == ["b", "a"] and config.pair == (3, 4)
    assert from_dict(Outer, {"maybe": 4}).maybe == 4


def test_validation_errors_become_config_errors():
    with pytest.raises(ConfigError, match="config: name must not be 'bad'"):
        from_dict(Outer, {"name": "bad"})
    with pytest.raises(ConfigError, match="config.propagation: unknown propagation method 'fast'"):
        from_dict(PipelineConfig, {"propagation": {"method": "fast"}})
    with pytest.raises(ConfigError, match="device must be one of"):
        from_dict(PipelineConfig, {"device": "gpu"})
    assert issubclass(ConfigError, ColorizeError)  # the CLI prints it on one line


@pytest.mark.parametrize("data, message", [
    ({"colorization_model": ""}, "colorization_model must not be empty"),
    ({"inference_steps": 0}, "inference_steps must be at least 1"),
    ({"guidance_scale": -1.0}, "guidance_scale must be >= 0"),
    ({"temporal_weight": 1.5}, "temporal_weight must be in \\[0, 1\\]"),
])
def test_model_settings_are_checked(data, message):
    with pytest.raises(ConfigError, match=message):
        from_dict(PipelineConfig, data)


@pytest.mark.parametrize("value", [0, False, [], ""])
def test_falsy_non_mapping_section_is_rejected(value):
    with pytest.raises(ConfigError, match="expected a mapping"):
        from_dict(PipelineConfig, {"propagation": value})


def test_to_dict_round_trip():
    config = from_dict(PipelineConfig, {"device": "cpu", "propagation": {"max_side": 320, "anchored": {"fill": False}}})
    assert from_dict(PipelineConfig, to_dict(config)) == config
    assert to_dict(config)["propagation"]["anchored"]["fill"] is False


# ---------------------------------------------------------------- apply_overrides
def test_dotted_overrides():
    base = PipelineConfig()
    config = apply_overrides(base, {"propagation.max_side": 480, "propagation.scene_cut.enabled": False,
                                    "propagation.anchored.key_scale": 12, "device": "cpu"})
    assert config.propagation.max_side == 480 and config.propagation.scene_cut.enabled is False
    assert config.propagation.anchored.key_scale == 12.0 and type(config.propagation.anchored.key_scale) is float
    assert config.device == "cpu"
    assert base == PipelineConfig()  # a copy: the original is unchanged
    assert apply_overrides(base, {}) == base


@pytest.mark.parametrize("key", ["propagation.max_sid", "propagation.anchored.nope", "device.sub", "nope",
                                 "output.crf.value"])
def test_unknown_dotted_key_is_named(key):
    with pytest.raises(ConfigError, match=f"unknown config key '{key}'"):
        apply_overrides(PipelineConfig(), {key: 1})


def test_override_is_type_checked():
    with pytest.raises(ConfigError, match="config.propagation.max_side: expected int, got '480'"):
        apply_overrides(PipelineConfig(), {"propagation.max_side": "480"})
    with pytest.raises(ConfigError, match="config.propagation: expected a mapping, got int"):
        apply_overrides(PipelineConfig(), {"propagation": 1})


# ---------------------------------------------------------------- load_config and the shipped preset
def test_shipped_preset_equals_the_dataclass_defaults():
    assert load_config(PipelineConfig, PRESET) == PipelineConfig()
    assert load_config(PipelineConfig, None) == PipelineConfig()


def test_shipped_preset_lists_every_setting():
    # Same keys, recursively, as the dataclasses: the YAML is the complete, documented twin.
    def keys(tree, prefix=""):
        out = set()
        for key, value in tree.items():
            out.add(prefix + key)
            if isinstance(value, dict):
                out |= keys(value, prefix + key + ".")
        return out

    assert keys(yaml.safe_load(PRESET.read_text())) == keys(to_dict(PipelineConfig()))
    sections = PipelineConfig()
    assert isinstance(sections.propagation, PropagationConfig) and isinstance(sections.output, OutputConfig)
    assert isinstance(sections.propagation.anchored, AnchoredConfig)
    assert isinstance(sections.propagation.scene_cut, SceneCutConfig)


def test_load_config_with_overrides(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text("propagation:\n  max_side: 320\n  method: chain\n")
    config = load_config(PipelineConfig, path, {"output.crf": 23})
    assert config.propagation.max_side == 320 and config.propagation.method == "chain" and config.output.crf == 23
    assert config.propagation.anchored == AnchoredConfig()  # untouched sections keep their defaults


def test_empty_file_gives_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing set\n")
    assert load_config(PipelineConfig, path) == PipelineConfig()


def test_unknown_key_in_file_names_file_and_key(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("propagation:\n  max_sides: 320\n")
    with pytest.raises(ConfigError, match=f"{path}.propagation: unknown key\\(s\\) max_sides"):
        load_config(PipelineConfig, path)


def test_yaml_syntax_error_is_one_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("device: auto\npropagation:\n  max_side: [320, 480\n")
    with pytest.raises(ConfigError) as info:
        load_config(PipelineConfig, path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"config file {path} is not valid YAML: ")
    assert info.value.__suppress_context__


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="expected a mapping, got list"):
        load_config(PipelineConfig, path)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found: .*nope.yaml"):
        load_config(PipelineConfig, tmp_path / "nope.yaml")


def test_yaml_booleans_are_only_true_and_false():
    # YAML 1.1 reads no/off/yes/on as booleans; `mixed_precision: no` must stay the string "no".
    assert read_yaml("a: no\nb: off\nc: yes\nd: true\ne: False\nf: 3\ng: null") == {
        "a": "no", "b": "off", "c": "yes", "d": True, "e": False, "f": 3, "g": None}


def test_parse_overrides():
    assert parse_overrides(["training.mixed_precision=no", "x.y = 2", "z=[1, 2]"]) == {
        "training.mixed_precision": "no", "x.y": 2, "z": [1, 2]}
    with pytest.raises(ConfigError, match="--set expects KEY=VALUE"):
        parse_overrides(["training.epochs"])
