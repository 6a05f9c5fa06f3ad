"""Publishing safely: the disclosure engine (`protection`: global recoding and complementary
suppression checked by integer programs), its log, and an independent auditor of published pages
(`audit`, which shares no code with the engine)."""
