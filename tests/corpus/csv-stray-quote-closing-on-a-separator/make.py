from pathlib import Path


def make(territory: Path):
    path = territory / "data" / "seuils_quartile.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Arrêté", '"Arrêté', 1)
    lines[2] = lines[2].replace("quartile 2020,", 'quartile 2020",', 1)
    path.write_text("".join(lines), encoding="utf-8")
