"""Load the original item bank (apps/leveltest/itembank.py); staff edit items in the admin afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from apps.leveltest.itembank import ITEMS, WRITING_PROMPTS, validate

    validate()
    Item = apps.get_model("leveltest", "Item")
    WritingPrompt = apps.get_model("leveltest", "WritingPrompt")
    for item in ITEMS:
        Item.objects.update_or_create(key=item["key"], defaults={k: v for k, v in item.items() if k != "key"})
    for prompt in WRITING_PROMPTS:
        WritingPrompt.objects.update_or_create(
            key=prompt["key"], defaults={k: v for k, v in prompt.items() if k != "key"}
        )


def unload(apps, schema_editor):
    from apps.leveltest.itembank import ITEMS, WRITING_PROMPTS

    apps.get_model("leveltest", "Item").objects.filter(key__in=[i["key"] for i in ITEMS]).delete()
    apps.get_model("leveltest", "WritingPrompt").objects.filter(key__in=[p["key"] for p in WRITING_PROMPTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("leveltest", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
