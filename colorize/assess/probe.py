"""What the machine offers a model: free memory on a device, and which models have their weights on disk."""

from colorize.models.loading import weights_present
from colorize.models.registry import ModelSpec

GIB = 2.0**30


def free_memory_gib(device: str) -> float:
    """Free GPU memory (``"cuda"``, from the driver) or available RAM (``"cpu"``), in GiB."""
    if device == "cuda":
        import torch

        free, _ = torch.cuda.mem_get_info()
        return free / GIB
    import psutil

    return psutil.virtual_memory().available / GIB


def models_on_disk(specs: dict[str, ModelSpec]) -> frozenset[str]:
    """Ids of the models that need no weights or whose weights are all on disk (Hugging Face cache or a path)."""
    return frozenset(model_id for model_id, spec in specs.items() if not spec.needs.weights
                     or (spec.weights and all(weights_present(source) for source in spec.weights)))
