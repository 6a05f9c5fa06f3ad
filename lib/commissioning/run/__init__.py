"""Running the suite: executing the notebooks (papermill, one kernel for both languages),
rendering self-contained HTML pages, the index, the manifest and the disclosure log.

`suite` runs it (`run_suite`, `refresh_notebooks`) from `notebooks` (which notebooks, languages
and parameters), `execute` (executing them) and `manifest` (the output folder); a page is rendered
from `language` (language cells), `convert` (a notebook as a report's body), `page` (the page
and its chrome) and `index` (the index and the disclosure log's page)."""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "language": ["check_language_cells"],
    "manifest": ["MANIFEST"],
    "notebooks": ["available_notebooks", "default_notebooks_dir", "KERNELSPEC", "parameter_value", "REPO"],
    "suite": ["refresh_notebooks", "run_suite"],
})
