def make(territory):
    path = territory / "data" / "guichets.csv"
    path.write_text(path.read_text(encoding="utf-8") + "1,Boffres,,,,,ouvert,,\n", encoding="utf-8")
