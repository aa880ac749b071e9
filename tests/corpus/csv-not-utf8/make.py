def make(territory):
    path = territory / "data" / "parc_ops.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
