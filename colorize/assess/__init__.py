"""Choosing and comparing colorization models: :class:`PretrainedModelAssessor` (recommendation from the video and
the machine, comparison on a dataset), the decision itself (:mod:`.recommend`) and the machine probes (:mod:`.probe`).
"""

from colorize.assess.assessor import PretrainedModelAssessor
from colorize.assess.recommend import Recommendation, Situation, recommend

__all__ = ["PretrainedModelAssessor", "Recommendation", "Situation", "recommend"]
