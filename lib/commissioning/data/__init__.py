"""Reading and validating a data folder: the codebook, municipalities.csv, the interview files, the
passages beside them, the study's claims, constraints and quantifiers, one reader for every file,
and the disk cache of a loaded study (`load_study`)."""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "cache": ["cache_dir", "library_digest"],
    "codebook": ["Codebook", "codebook_from_text", "load_codebook", "Variable"],
    "consistency": ["check_municipality_level"],
    "files": ["default_data_dir", "fingerprint", "RECORD_NAME", "suite_file"],
    "interviews": ["coder_slug", "ID_RE", "parse_interview"],
    "municipalities": ["read_municipalities"],
    "origin": ["inputs_digest", "origin", "record_text"],
    "passages": [
        "COLUMNS", "passage_file_text", "passage_files", "PASSAGES_DIR", "read_passages", "study_as_loaded",
        "validate_passages",
    ],
    "publication": ["for_publication", "pseudonyms"],
    "quantifiers": ["load_quantifiers"],
    "reader": ["alias_problem", "read_file", "read_yaml_file"],
    "skeleton": ["attributes_block", "init_data_dir"],
    "statements": ["load_claims", "load_constraints"],
    "study": ["CODING_COLUMNS", "load_study", "memo", "one_coder", "Study"],
})
