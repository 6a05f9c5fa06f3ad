"""What a report shows: `Report` (one per notebook and language), count tables in one display
format, and sentences computed from the data in English and Dutch."""
