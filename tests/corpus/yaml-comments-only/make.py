def make(territory):
    (territory / "territory.yaml").write_text("# à remplir\n# siren: ...\n", encoding="utf-8")
