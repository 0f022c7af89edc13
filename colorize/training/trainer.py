"""``ColorizationTrainer``: the training loop behind ``train_colorization.py``, on Hugging Face accelerate.

accelerate gives mixed precision, gradient accumulation, several GPUs or machines (``accelerate launch``) and
resumable state (model, optimizer, scheduler, RNG and the loop's own counters). Everything is written under
``training.output_dir``::

    config.yaml                      the settings of the run
    logs/train/                      TensorBoard: loss/* and lr every log_every steps; val/psnr, val/ssim, their
                                     gray baseline val/*_gray, and val/sample_* images (gray | predicted | truth)
    checkpoints/step-0000500/        resumable state (--resume), plus the model (unet/ or controlnet/) at that step
    best/                            the model with the best validation PSNR so far, best.json its scores
    unet/ (or controlnet/)           the final model, loadable with UNet.from_pretrained (or diffusers)

Checkpoint folders are written under a hidden ``.partial`` name and renamed when complete.
"""

import dataclasses
import json
import logging
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import yaml
from torch.utils.data import DataLoader, Dataset, Subset
from tqdm.auto import tqdm

from colorize.config import to_dict
from colorize.datasets import VideoColorizationDataset
from colorize.errors import ColorizeError
from colorize.training.config import OptimizerConfig, TrainConfig, load_train_config
from colorize.training.sampler import EpochSampler
from colorize.training.unet_objective import UNetObjective
from colorize.utils import progress
from colorize.viz.panels import sheet_indices

logger = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints"
STATE_MARKER = "random_states_0.pkl"  # a file accelerate's save_state always writes


@dataclass
class TrainState:
    """The loop's counters, saved and restored with every checkpoint."""

    step: int = 0  # optimizer steps done
    epoch: int = 0
    batches_in_epoch: int = 0  # micro-batches of `epoch` this process has used
    best_psnr: float = -math.inf
    best_step: int = -1

    def state_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)


class ColorizationTrainer:
    """Trains the model of ``config`` (a :class:`TrainConfig`, its nested dict, or a YAML path).

    ``trainer.train(train_dataset, val_dataset)`` runs the loop; without datasets they are built from
    ``config.data``. A bad key or value in ``config`` raises a one-line ConfigError here, a missing data folder
    a one-line InputError at the start of ``train``. ``perceptual`` replaces the VGG16 perceptual loss (tests).
    """

    def __init__(self, config: TrainConfig | dict[str, Any] | str | os.PathLike,
                 perceptual: torch.nn.Module | None = None) -> None:
        self.config = load_train_config(config)
        self.perceptual = perceptual

    def build_datasets(self) -> tuple[VideoColorizationDataset, VideoColorizationDataset | None]:
        """The training and validation sets of ``config.data`` (InputError at once for a missing folder)."""
        data = self.config.data
        common = dict(include_depth=data.include_depth, include_semantic=data.include_semantic,
                      clip_length=data.clip_length, layout=data.layout, max_side=data.max_side,
                      seed=self.config.training.seed)
        train = VideoColorizationDataset(data.train_dir, augment=data.augment, stride=data.stride,
                                         flows=self.config.loss.temporal > 0, split="train", **common)
        val = None if data.val_dir is None else VideoColorizationDataset(data.val_dir, flows=False, split="val",
                                                                         **common)
        return train, val

    def make_objective(self):
        """The model-specific part of training: :class:`UNetObjective` or the ControlNet fine-tuning."""
        if self.config.model == "unet":
            return UNetObjective(self.config, self.perceptual)
        from colorize.training.diffusion_finetune import ControlNetObjective

        return ControlNetObjective(self.config)

    def train(self, train_dataset: Dataset | None = None, val_dataset: Dataset | None = None,
              resume: str | os.PathLike | None = None) -> Path:
        """Train; returns the folder of the final model. ``resume``: a checkpoint folder, or ``"latest"``."""
        from accelerate import Accelerator
        from accelerate.utils import ProjectConfiguration, send_to_device, set_seed

        config, run = self.config, self.config.training
        output_dir = Path(run.output_dir)

        # 1. Check inputs: data folders and the checkpoint to resume, before any model is built
        if train_dataset is None:
            train_dataset, built_val = self.build_datasets()
            val_dataset = val_dataset if val_dataset is not None else built_val
        resume_dir = find_checkpoint(output_dir, resume) if resume is not None else None
        if run.mixed_precision == "fp16" and not torch.cuda.is_available():
            raise ColorizeError("training.mixed_precision fp16 needs a CUDA GPU; use bf16 or no on the CPU")

        # 2. Accelerator, model, optimizer, scheduler
        accelerator = Accelerator(  # mixed_precision None: accelerate launch --mixed_precision / accelerate config
            mixed_precision=run.mixed_precision, gradient_accumulation_steps=run.gradient_accumulation_steps,
            log_with="tensorboard",
            project_config=ProjectConfiguration(project_dir=str(output_dir), logging_dir=str(output_dir / "logs")))
        set_seed(run.seed)
        objective = self.make_objective()
        model = objective.build()
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config.optimizer.lr,
                                      betas=config.optimizer.betas, weight_decay=config.optimizer.weight_decay)
        sampler = EpochSampler(len(train_dataset), run.seed, rank=accelerator.process_index,
                               world_size=accelerator.num_processes)
        loader = DataLoader(train_dataset, batch_size=run.batch_size, sampler=sampler, num_workers=run.num_workers,
                            generator=torch.Generator().manual_seed(run.seed))  # keeps the global RNG untouched
        steps_per_epoch = math.ceil(len(loader) / run.gradient_accumulation_steps)
        max_steps = run.max_steps or run.epochs * steps_per_epoch
        scheduler = make_scheduler(optimizer, config.optimizer, max_steps, accelerator.num_processes)
        model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
        objective.to(accelerator.device, _weight_dtype(accelerator.mixed_precision))  # the YAML's or accelerate's
        state = TrainState()
        accelerator.register_for_checkpointing(state)
        if resume_dir is not None:
            accelerator.load_state(str(resume_dir))
            logger.info("resumed from %s at step %d (epoch %d)", resume_dir, state.step, state.epoch)
        val_loader = None
        if val_dataset is not None:
            chosen = sheet_indices(len(val_dataset), self.config.data.val_samples)
            val_loader = DataLoader(Subset(val_dataset, chosen), batch_size=1)
        if accelerator.is_main_process:
            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / "config.yaml").write_text(yaml.safe_dump(to_dict(config), sort_keys=False))
            accelerator.init_trackers("train")
        logger.info("training %s: %d samples, %d steps (%d per epoch), mixed precision %s, output in %s",
                    config.model, len(train_dataset), max_steps, steps_per_epoch, accelerator.mixed_precision,
                    output_dir)

        # 3. The loop: one optimizer step per `gradient_accumulation_steps` micro-batches
        bar = tqdm(total=max_steps, initial=state.step, desc="training", unit="step", dynamic_ncols=True,
                   disable=progress.disable_progress_bar or not accelerator.is_local_main_process)
        sums: dict[str, float] = {}
        micro_batches = 0
        while state.step < max_steps:
            sampler.set_epoch(state.epoch, skip=state.batches_in_epoch * run.batch_size)
            if hasattr(train_dataset, "set_epoch"):
                train_dataset.set_epoch(state.epoch)
            for batch in loader:
                batch = send_to_device(batch, accelerator.device)
                with accelerator.accumulate(model):
                    losses = objective.losses(model, batch)
                    accelerator.backward(losses["total"])
                    if accelerator.sync_gradients and run.max_grad_norm > 0:
                        accelerator.clip_grad_norm_(model.parameters(), run.max_grad_norm)
                    optimizer.step()
                    scheduler.step()
                    optimizer.zero_grad()
                state.batches_in_epoch += 1
                for name, value in losses.items():
                    sums[name] = sums.get(name, 0.0) + value.detach().item()
                micro_batches += 1
                if not accelerator.sync_gradients:
                    continue
                state.step += 1
                bar.update(1)
                if state.step % run.log_every == 0 or state.step == max_steps:
                    means = {f"loss/{name}": total / micro_batches for name, total in sums.items()}
                    accelerator.log({**means, "lr": scheduler.get_last_lr()[0]}, step=state.step)
                    bar.set_postfix(loss=f"{means['loss/total']:.4f}")
                    sums, micro_batches = {}, 0
                if val_loader is not None and (state.step == max_steps or
                                               (run.validate_every and state.step % run.validate_every == 0)):
                    self._validate(accelerator, objective, model, val_loader, state, output_dir)
                if run.checkpoint_every and state.step % run.checkpoint_every == 0:
                    save_checkpoint(accelerator, objective, model, output_dir, state.step, run.keep_checkpoints)
                if state.step >= max_steps:
                    break
            else:
                state.epoch, state.batches_in_epoch = state.epoch + 1, 0
        bar.close()

        # 4. The final model
        final = output_dir / objective.name
        if accelerator.is_main_process:
            objective.save_pretrained(accelerator.unwrap_model(model), final)
            logger.info("saved %s (best validation PSNR %.2f dB at step %d)", final, state.best_psnr, state.best_step)
        accelerator.wait_for_everyone()
        accelerator.end_training()
        return final

    def _validate(self, accelerator, objective, model, val_loader: DataLoader, state: TrainState,
                  output_dir: Path) -> None:
        """Score on the validation samples (main process), log them, keep the best model in ``best/``."""
        from accelerate.utils import send_to_device

        from colorize.training.validation import validate  # the metrics load torchmetrics: only when validating

        if accelerator.is_main_process:
            network = accelerator.unwrap_model(model)
            network.eval()
            with torch.no_grad(), accelerator.autocast():
                metrics, panels = validate(lambda batch: objective.predict(network, send_to_device(
                    batch, accelerator.device)), val_loader, self.config.training.sample_images)
            network.train()
            accelerator.log({f"val/{name}": value for name, value in metrics.items()}, step=state.step)
            writer = accelerator.get_tracker("tensorboard", unwrap=True)
            for number, panel in enumerate(panels):
                writer.add_image(f"val/sample_{number}", panel, state.step, dataformats="HWC")
            logger.info("step %d: validation PSNR %.2f dB, SSIM %.4f (gray %.2f dB)", state.step, metrics["psnr"],
                        metrics["ssim"], metrics["psnr_gray"])
            if metrics["psnr"] > state.best_psnr:
                state.best_psnr, state.best_step = metrics["psnr"], state.step
                objective.save_pretrained(network, output_dir / "best")
                (output_dir / "best.json").write_text(json.dumps({"step": state.step, **metrics}, indent=2) + "\n")
        accelerator.wait_for_everyone()


def make_scheduler(optimizer: torch.optim.Optimizer, config: OptimizerConfig, max_steps: int,
                   num_processes: int = 1) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warmup over ``warmup_steps``, then constant or cosine decay to 0 at ``max_steps``.

    accelerate steps a prepared scheduler once per process at every optimizer step, hence ``num_processes``.
    """
    warmup, total = config.warmup_steps * num_processes, max_steps * num_processes

    def factor(count: int) -> float:
        if count < warmup:
            return (count + 1) / warmup
        if config.scheduler == "constant":
            return 1.0
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, (count - warmup) / max(1, total - warmup))))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def save_checkpoint(accelerator, objective, model, output_dir: Path, step: int, keep: int) -> Path:
    """Write ``output_dir/checkpoints/step-NNNNNNN`` (accelerate state + the model); keep the newest ``keep``."""
    root = output_dir / CHECKPOINTS
    final, partial = root / f"step-{step:07d}", root / f".step-{step:07d}.partial"
    if accelerator.is_main_process:
        shutil.rmtree(partial, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
    accelerator.wait_for_everyone()
    accelerator.save_state(str(partial))  # every process writes its own RNG state
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        objective.save_pretrained(accelerator.unwrap_model(model), partial / objective.name)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
        for old in sorted(root.glob("step-*"))[:-keep] if keep > 0 else []:
            shutil.rmtree(old)
        logger.info("checkpoint %s", final)
    accelerator.wait_for_everyone()
    return final


def find_checkpoint(output_dir: Path, resume: str | os.PathLike) -> Path:
    """The checkpoint folder ``resume`` names: a folder, a file in one (the seed's ``--resume checkpoint.pth``
    form: its folder holds the optimizer, scheduler and random states too), or ``"latest"`` (the newest under
    ``output_dir/checkpoints``)."""
    if str(resume) == "latest":
        found = sorted((output_dir / CHECKPOINTS).glob("step-*"))
        if not found:
            raise ColorizeError(f"--resume latest: no checkpoint in {output_dir / CHECKPOINTS}")
        return found[-1]
    path = Path(resume)
    if path.is_file() and (path.parent / STATE_MARKER).is_file():
        return path.parent
    if not (path / STATE_MARKER).is_file():
        raise ColorizeError(f"not a training checkpoint: {path} (expected a folder "
                            f"OUTPUT_DIR/{CHECKPOINTS}/step-NNNNNNN written by train_colorization.py)")
    return path


def _weight_dtype(mixed_precision: str) -> torch.dtype:
    """The dtype of frozen modules under ``mixed_precision`` (as in diffusers' training scripts)."""
    return {"fp16": torch.float16, "bf16": torch.bfloat16}.get(mixed_precision, torch.float32)
