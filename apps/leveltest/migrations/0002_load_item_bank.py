"""Load the original item bank from this migration's own frozen copy (data/0002_item_bank.json, equal to
apps/leveltest/banks/bank-v1.json); staff edit items in the admin afterwards, ``manage.py load_itembank`` loads
later banks. It imports nothing from the app: editing today's bank must not change what this migration did."""

import json
from pathlib import Path

from django.db import migrations

FROZEN_BANK = Path(__file__).resolve().parent / "data" / "0002_item_bank.json"


def _bank():
    return json.loads(FROZEN_BANK.read_text(encoding="utf-8"))


def load(apps, schema_editor):
    bank = _bank()
    Item = apps.get_model("leveltest", "Item")
    WritingPrompt = apps.get_model("leveltest", "WritingPrompt")
    for item in bank["items"]:
        Item.objects.update_or_create(key=item["key"], defaults={k: v for k, v in item.items() if k != "key"})
    for prompt in bank["writing_prompts"]:
        WritingPrompt.objects.update_or_create(
            key=prompt["key"], defaults={k: v for k, v in prompt.items() if k != "key"}
        )


def unload(apps, schema_editor):
    bank = _bank()
    apps.get_model("leveltest", "Item").objects.filter(key__in=[i["key"] for i in bank["items"]]).delete()
    apps.get_model("leveltest", "WritingPrompt").objects.filter(
        key__in=[p["key"] for p in bank["writing_prompts"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("leveltest", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
