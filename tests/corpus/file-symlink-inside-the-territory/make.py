def make(territory):
    path = territory / "data" / "parc_ops.csv"
    kept = territory / "archives" / "parc_ops_2022.csv"
    kept.parent.mkdir()
    path.rename(kept)
    path.symlink_to(kept)
