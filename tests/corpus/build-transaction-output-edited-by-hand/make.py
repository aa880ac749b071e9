def make(territory):
    html = territory.parent / "out" / "cc-rhone-crussol" / "2025" / "annexes-ppgdid.html"
    html.write_bytes(html.read_bytes() + b"<!-- edited by hand -->")
