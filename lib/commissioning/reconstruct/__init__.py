"""The reconstruction of the study's confidential interview codings: drawn within everything the
summary publishes, every value with its provenance."""
