def make(territory):
    (territory / "data" / "parc_ops.csv").rename(territory / "data" / "parc_ops.txt")
