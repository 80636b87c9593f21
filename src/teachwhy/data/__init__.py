"""Training-data generators (every dataset kind of the study), augmentation and quality/contamination checks."""

from teachwhy.data._common import GenerateSettings
from teachwhy.data._generate import generate
from teachwhy.data._kinds import KINDS, get_kind

__all__ = ["KINDS", "GenerateSettings", "generate", "get_kind"]
