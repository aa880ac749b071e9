def make(territory):
    (territory / "data" / "parc_ops.csv").rename(territory / "data" / "PARC_OPS.CSV")
