from pathlib import Path


def make(territory: Path):
    path = territory / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  statut: Projet\n", "  statut: Projet\n  statut: Adopté\n"), encoding="utf-8"
    )
