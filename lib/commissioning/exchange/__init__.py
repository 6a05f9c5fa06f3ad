"""Exchange with QDA tools through the REFI-QDA standard: the codebook as a .qdc file and coded
projects (.qdpx) imported as interview and passage files."""
