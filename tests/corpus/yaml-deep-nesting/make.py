def make(territory):
    path = territory / "territory.yaml"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(path.read_text(encoding="utf-8") + f"notes: {deep}\n", encoding="utf-8")
