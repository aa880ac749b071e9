"""services_sociaux.csv with 10 000 rows, each a distinct name holding markup."""


def make(territory):
    path = territory / "data" / "services_sociaux.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    rows = [f"Centre n° {n} <b>INJECTED</b> | {{{{ x }}}},,,,," for n in range(10_000)]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
