def make(territory):
    (territory / "territory.yaml").write_text("", encoding="utf-8")
