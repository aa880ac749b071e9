def make(territory):
    path = territory / "territory.yaml"
    refs = ", ".join(["*x"] * 500)
    path.write_text(
        path.read_text(encoding="utf-8") + f"x: &x [1]\ny: [{refs}]\n", encoding="utf-8"
    )
