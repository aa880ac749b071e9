def edit(territory, old, new):
    path = territory / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make(territory):
    edit(
        territory,
        "  delai_attente_annee: 2023\n",
        "  delai_attente_annee: 2023\n  zone_232_cgi: Non\n",
    )
