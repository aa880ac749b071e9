def make(territory):
    path = territory / "data" / "parc_ops.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    rows = "".join(f"2022,,{n},1,,,\n" for n in range(100_001))
    path.write_text(header + "\n" + rows, encoding="utf-8")
