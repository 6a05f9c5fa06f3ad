"""Running the suite: executing the notebooks (papermill, one kernel for both languages),
rendering self-contained HTML pages, the index, the manifest and the disclosure log."""
