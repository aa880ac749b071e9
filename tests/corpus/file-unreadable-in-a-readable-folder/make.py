def make(territory):
    (territory / "data" / "parc_ops.csv").chmod(0)
