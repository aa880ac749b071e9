def make(territory):
    path = territory / "data" / "parc_ops.csv"
    path.write_bytes(b"Parc social OPS 2022,,,,,,\n" + path.read_bytes())
