from pathlib import Path

import generator


def make(territory: Path):
    default = Path(generator.__file__).parents[1] / "content" / "blocs" / "deliberation-textes.yaml"
    text = default.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line and line[0].isalpha() and ":" in line)
    target = territory / "overrides" / "blocs" / "deliberation-textes.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n" + first.split(":")[0] + ": doublon\n", encoding="utf-8")
