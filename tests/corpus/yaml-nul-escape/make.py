def make(territory):
    path = territory / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("nom_court: CCRC", 'nom_court: "CC\\0RC"'), encoding="utf-8")
