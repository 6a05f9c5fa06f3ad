"""Reading and validating a data folder: the codebook, municipalities.csv, the interview files, the
passages beside them, the study's claims, constraints and quantifiers, one reader for every file,
and the disk cache of a loaded study (`load_study`)."""
