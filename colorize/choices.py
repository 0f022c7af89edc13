"""Every choice list and shared default of the settings, defined once: argparse ``choices``, dataclass checks and
docs import them from here. Plain tuples and numbers, so importing this module costs nothing (``--help`` answers at
once)."""

DEVICES = ("auto", "cpu", "cuda")  # --device; model settings also take one GPU of several, "cuda:N"
PRECISIONS = ("no", "fp16", "bf16")  # no: float32; fp16 needs a CUDA GPU
MIXED_PRECISION = ("auto", *PRECISIONS)  # auto: fp16 on a CUDA GPU (as in diffusers' examples), else no
METHODS = ("anchored", "chain", "copy", "gray")  # propagation methods: this project's, then the naive baselines
SEMANTIC_MODELS = ("none", "upernet")  # or any transformers semantic-segmentation model id or folder

INFERENCE_STEPS = 25  # diffusion denoising steps
GUIDANCE_SCALE = 7.5  # classifier-free guidance of the prompt (1: off)
