from tests.conftest import replace_in

META = "<script>INJECTED</script> & </dc:creator><dc:title>INJECTED</dc:title> {{ 7 * 7 }} $x$"


def make(territory):
    config = territory / "territory.yaml"
    replace_in(config, "auteur: AATIKO Conseils", f"auteur: '{META}'")
    replace_in(config, "statut: Projet", f"statut: '{META}'")
