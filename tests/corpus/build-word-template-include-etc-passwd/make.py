from tests.test_deliberation_template import edit_template


def make(territory):
    edit_template(territory, "{{ seance.date }}", '{% include "/etc/passwd" %}')
