from django.db import migrations


def add_defaults(apps, schema_editor):
    from gongkai.cases.letter_defaults import DEFAULTS

    LetterTemplate = apps.get_model("cases", "LetterTemplate")
    for kind, (title, body) in DEFAULTS.items():
        LetterTemplate.objects.get_or_create(kind=kind, outcome="", defaults={"title": title, "body": body})


def remove_defaults(apps, schema_editor):
    apps.get_model("cases", "LetterTemplate").objects.filter(outcome="").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_letter_templates")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
