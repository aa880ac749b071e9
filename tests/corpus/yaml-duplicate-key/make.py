def make(territory):
    path = territory / "territory.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "annee: 2024\n", encoding="utf-8")
