"""The lowest layer: helpers every other part uses and that use nothing of the package but
`commissioning.errors` (formats as the study prints them, argument checks, the in-process memo)."""
