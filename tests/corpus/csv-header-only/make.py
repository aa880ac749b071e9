def make(territory):
    path = territory / "data" / "services_sociaux.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
