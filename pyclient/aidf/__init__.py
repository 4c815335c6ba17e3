"""aidf: the U.S. Framework for Artificial Intelligence Diffusion (90 FR 4544) as policy-as-code."""
from .api import evaluate
from .decision import Decision
from .engines import EngineError
from .validation import InvalidRequest

__all__ = ["evaluate", "Decision", "EngineError", "InvalidRequest"]
