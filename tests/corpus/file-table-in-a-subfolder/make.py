def make(territory):
    (territory / "data" / "données OPS").mkdir()
    (territory / "data" / "parc_ops.csv").rename(
        territory / "data" / "données OPS" / "parc_ops.csv"
    )
