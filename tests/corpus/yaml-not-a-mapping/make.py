def make(territory):
    (territory / "territory.yaml").write_text("- siren\n- annee\n", encoding="utf-8")
