"""Publishing safely: the disclosure engine (`protection`: global recoding and complementary
suppression checked by integer programs), its log, and an independent auditor of published pages
(`audit`, which shares no code with the engine)."""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "gate": ["audit_release", "join", "publish", "Publication", "RECORD", "register"],
    "log": ["log_html"],
    "protection": ["Protection", "protection"],
    "recoding": ["MIN_MUNICIPALITIES"],
})
