def make(territory):
    path = territory / "data" / "parc_ops.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n,,,,,,\n   \n", encoding="utf-8")
