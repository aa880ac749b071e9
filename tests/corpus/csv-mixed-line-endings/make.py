def make(territory):
    path = territory / "data" / "parc_ops.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    endings = ["\r\n", "\n", "\r"]
    text = "".join(line + endings[i % 3] for i, line in enumerate(lines[:-1]))
    path.write_text(text, encoding="utf-8", newline="")
