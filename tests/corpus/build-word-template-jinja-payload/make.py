from tests.test_deliberation_template import edit_template


def make(territory):
    edit_template(
        territory,
        "{{ seance.date }}",
        "{{ cycler.__init__.__globals__.os.popen('touch ran-INJECTED').read() }}",
    )
