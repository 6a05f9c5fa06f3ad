"""Exchange with QDA tools through the REFI-QDA standard: the codebook as a .qdc file and coded
projects (.qdpx) imported as interview and passage files."""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "importer": ["import_qdpx", "ImportReport"],
    "newcodebook": ["import_code_system"],
    "project": ["text_selections"],
    "qdc": ["export_qdc"],
})
