from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(
        territory,
        "  delai_attente_annee: 2023\n",
        "  delai_attente_annee: 2023\n  zone_232_cgi: Non\n",
    )
