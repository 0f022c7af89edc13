"""``VideoColorizationDataset``: samples of consecutive frames with their true colors, for training colorizers."""

import logging
import os

import numpy as np
import torch
from torch.utils.data import Dataset

from colorize.color import luminance_to_uint8, resize, rgb_to_lab, working_size
from colorize.color.upsample import resize_labels
from colorize.datasets.augment import NO_AUGMENTATION, AugmentConfig, augment_clip
from colorize.datasets.sources import Frame, Sequence, load_sequences
from colorize.errors import InputError
from colorize.flow import DISFlow, FlowConfig, occlusion_mask, sampling_grid

logger = logging.getLogger(__name__)


class VideoColorizationDataset(Dataset):
    """Samples of ``clip_length`` consecutive frames of the videos under ``data_dir`` (see
    :mod:`colorize.datasets.sources` for the ``frames``, ``videos`` and ``davis`` layouts).

    A sample is a dict (T = ``clip_length``, H = W = ``augment.crop_size``, or the frame size without cropping)::

        lum         (T, 1, H, W) float32  input Lab L / 100, in [0, 1] (luminance jitter applied)
        ab          (T, 2, H, W) float32  true Lab ab / 128
        rgb         (T, H, W, 3) uint8    true colors
        depth       (T, 1, H, W) float32  in [0, 1]              (include_depth)
        semantic    (T, H, W)    int64    segment / class ids     (include_semantic)
        flow        (T-1, 2, H, W) float32 DIS flow on the input L, frame t+1 -> frame t, pixels   (flows)
        flow_valid  (T-1, 1, H, W) float32 1 where that flow passes the occlusion check and stays in the frame
        index       int64                 the sample's index

    Frames are first resized so their longer side is at most ``max_side``. The augmentation is the same for all
    frames of a sample and is drawn from a generator seeded by (``seed``, epoch, index): a sample is the same in
    every run and in any DataLoader worker, and changes from epoch to epoch (:meth:`set_epoch`; workers must not
    be persistent). ``repeat`` lists every clip that many times (each time augmented differently), for tiny sets
    such as a video's keyframes. Pass ``sequences`` instead of ``data_dir`` to use frames already in memory.
    """

    def __init__(self, data_dir: str | os.PathLike | None = None, include_depth: bool = False,
                 include_semantic: bool = False, clip_length: int = 2, *, layout: str = "frames",
                 augment: AugmentConfig | None = None, flows: bool | None = None, max_side: int = 256, stride: int = 1,
                 repeat: int = 1, seed: int = 0, sequences: list[Sequence] | None = None,
                 split: str | None = None) -> None:
        if (data_dir is None) == (sequences is None):
            raise ValueError("pass either data_dir or sequences")
        if clip_length < 1 or stride < 1 or repeat < 1:
            raise InputError(f"clip_length, stride and repeat must be >= 1, got {clip_length}, {stride}, {repeat}")
        if sequences is None:
            sequences = load_sequences(layout, data_dir, include_depth, include_semantic, max_side, split)
        self.sequences = sequences
        self.clip_length, self.max_side, self.repeat, self.seed = clip_length, max_side, repeat, seed
        self.include_depth, self.include_semantic = include_depth, include_semantic
        self.augment = augment or NO_AUGMENTATION
        self.flows = clip_length > 1 if flows is None else flows
        self.epoch = 0
        self.windows = [(number, start) for number, sequence in enumerate(sequences)
                        for start in range(0, len(sequence) - clip_length + 1, stride)]
        short = [sequence.name for sequence in sequences if len(sequence) < clip_length]
        if short:
            logger.warning("%d video(s) shorter than clip_length %d are skipped: %s", len(short), clip_length,
                           ", ".join(short))
        if not self.windows:
            raise InputError(f"no clip of {clip_length} consecutive frames in {data_dir or 'the given sequences'}")
        self._dis: DISFlow | None = None

    def __len__(self) -> int:
        return len(self.windows) * self.repeat

    def set_epoch(self, epoch: int) -> None:
        """Draw the augmentations of epoch ``epoch`` (call before iterating a DataLoader over this dataset)."""
        self.epoch = epoch

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        number, start = self.windows[index % len(self.windows)]
        sequence = self.sequences[number]
        frames = [self._load(sequence, start + offset) for offset in range(self.clip_length)]
        frames = augment_clip(frames, self.augment, np.random.default_rng([self.seed, self.epoch, index]))
        ab = np.stack([rgb_to_lab(frame.rgb)[..., 1:] for frame in frames])
        sample = {
            "lum": torch.from_numpy(np.stack([frame.lum for frame in frames]) / np.float32(100.0))[:, None],
            "ab": torch.from_numpy(ab / np.float32(128.0)).permute(0, 3, 1, 2).contiguous(),
            "rgb": torch.from_numpy(np.stack([frame.rgb for frame in frames])),
            "index": torch.tensor(index),
        }
        if self.include_depth:
            sample["depth"] = torch.from_numpy(np.stack([frame.depth for frame in frames]))[:, None]
        if self.include_semantic:
            sample["semantic"] = torch.from_numpy(np.stack([frame.semantic for frame in frames]))
        if self.flows and self.clip_length > 1:
            sample["flow"], sample["flow_valid"] = self._flows([frame.lum for frame in frames])
        return sample

    def _load(self, sequence: Sequence, index: int) -> Frame:
        """Frame ``index`` of ``sequence``, resized to at most ``max_side`` (depth and ids too)."""
        frame = sequence.frame(index)
        if (self.include_depth and frame.depth is None) or (self.include_semantic and frame.semantic is None):
            raise InputError(f"{sequence.name} frame {index} has no depth / semantic map")
        size = working_size(*frame.lum.shape, self.max_side)
        if size == frame.lum.shape:
            return frame
        return Frame(resize(frame.rgb, size), resize(frame.lum, size),
                     None if frame.depth is None else resize(frame.depth, size),
                     None if frame.semantic is None else resize_labels(frame.semantic, size))

    def _flows(self, lums: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
        """DIS flows frame t+1 -> t on the input L, and their validity, for each consecutive pair."""
        if self._dis is None:
            self._dis = DISFlow(FlowConfig(preset="ultrafast", max_side=4096))
        gray = [luminance_to_uint8(lum) for lum in lums]
        flows, valid = [], []
        for previous, current in zip(gray[:-1], gray[1:]):
            forward, backward = self._dis(current, previous), self._dis(previous, current)
            map_x, map_y = sampling_grid(forward)
            height, width = current.shape
            inside = (map_x >= 0) & (map_x <= width - 1) & (map_y >= 0) & (map_y <= height - 1)
            flows.append(forward)
            valid.append(inside & ~occlusion_mask(forward, backward))
        return (torch.from_numpy(np.stack(flows)).permute(0, 3, 1, 2).contiguous(),
                torch.from_numpy(np.stack(valid).astype(np.float32))[:, None])

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_dis"] = None  # OpenCV objects do not pickle; each worker makes its own
        return state
