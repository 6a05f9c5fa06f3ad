"""The reconstruction of the study's confidential interview codings: drawn within everything the
summary publishes, every value with its provenance."""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "drawing": ["reconstruct"],
    "inputs": ["CODER", "Inputs", "load_inputs", "Reconstruction", "Statement"],
    "writing": ["write_interviews"],
})
