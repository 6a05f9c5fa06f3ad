"""Publishing safely: the disclosure engine (`protection`: global recoding and complementary
suppression checked by integer programs), its log, and an independent auditor of published pages
(`audit`, which shares no code with the engine)."""

from ..data.publication import for_publication, pseudonyms
from .log import log_html
from .protection import Protection, protection
from .recoding import MIN_MUNICIPALITIES, THRESHOLD

__all__ = ["MIN_MUNICIPALITIES", "THRESHOLD", "Protection", "for_publication", "log_html", "protection", "pseudonyms"]
