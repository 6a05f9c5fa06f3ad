"""The lowest layer: helpers every other part uses and that use nothing of the package but
`commissioning.errors` (formats as the study prints them, argument checks, the in-process memo)."""

from .doors import door

__all__, __getattr__, __dir__ = door(__name__, {
    "doors": ["door"],
    "checks": [
        "BASES", "check_lang", "check_threshold", "check_unit", "LANGS", "natural_unit", "THRESHOLD",
        "UNIT_CHOICES", "UNITS",
    ],
    "formats": ["percent_half_up", "thousands"],
    "memo": ["frame_digest", "memoize", "remember", "Unkeyable"],
})
