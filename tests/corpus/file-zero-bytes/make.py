def make(territory):
    (territory / "data" / "parc_ops.csv").write_bytes(b"")
