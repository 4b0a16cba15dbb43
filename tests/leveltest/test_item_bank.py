"""The item bank is a versioned JSON file checked against a schema; the data migration loads its own frozen copy."""

import ast
import importlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command

from apps.core.levels import LEVELS
from apps.leveltest.itembank import BANKS_DIR, LIVE_BANK, SKILLS, BankError, load_bank
from apps.leveltest.models import Item, WritingPrompt

MIGRATION = "apps.leveltest.migrations.0002_load_item_bank"
FROZEN = Path(importlib.import_module(MIGRATION).__file__).parent / "data" / "0002_item_bank.json"


def raw_bank() -> dict:
    return json.loads((BANKS_DIR / "bank-v1.json").read_text(encoding="utf-8"))


def write(tmp_path: Path, bank: dict, name: str = "bank-v1.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(bank), encoding="utf-8")
    return path


def test_the_live_bank_passes_its_schema():
    bank = load_bank()
    assert bank.version == 1 and len(bank.items) == 108 and len(bank.writing_prompts) == 10
    for level in LEVELS:
        for skill in SKILLS:
            assert sum(1 for item in bank.items if (item.level, item.skill) == (level, skill)) == 6


def _set(section: str, index: int, field: str, value):
    def mutate(bank: dict) -> None:
        bank[section][index][field] = value

    return mutate


def _drop(section: str, index: int, field: str):
    def mutate(bank: dict) -> None:
        del bank[section][index][field]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_set("items", 5, "answer", 7), "items[5] (key 'g-a1-06'): answer: Input should be less than or equal to 3"),
        (_set("items", 5, "answer", True), "items[5] (key 'g-a1-06'): answer: Input should be a valid integer"),
        (_drop("items", 0, "explanation"), "items[0] (key 'g-a1-01'): explanation: Field required"),
        (_set("items", 0, "explanation", "  "), "items[0] (key 'g-a1-01'): explanation: must not be blank"),
        (_set("items", 1, "choices", ["a", "b", "c"]), "items[1] (key 'g-a1-02'): choices: List should have at least"),
        (_set("items", 1, "choices", ["a", "b", "c", "A"]), "items[1] (key 'g-a1-02'): choices: two choices are"),
        (_set("items", 2, "level", "D1"), "items[2] (key 'g-a1-03'): level: 'D1' is not one of A1, A2"),
        (_set("items", 2, "level", "A2"), "items[2] (key 'g-a1-03'): key: a A2 grammar item's key starts with"),
        (_set("items", 3, "difficulty", 1), "items[3] (key 'g-a1-04'): difficulty: Extra inputs are not permitted"),
        (_set("items", 4, "key", "g-a1-01"), "key used twice: g-a1-01"),
        (_set("writing_prompts", 0, "max_words", 10), "writing_prompts[0] (key 'w-01'): max_words: 10 is not above"),
    ],
)
def test_a_broken_bank_is_refused_with_the_item_and_field_named(tmp_path, mutate, expected):
    bank = raw_bank()
    mutate(bank)
    with pytest.raises(BankError) as refused:
        load_bank(write(tmp_path, bank))
    assert expected in str(refused.value)


def test_a_reading_item_without_its_passage_is_refused(tmp_path):
    bank = raw_bank()
    index, item = next((i, item) for i, item in enumerate(bank["items"]) if item["skill"] == "reading")
    item["passage"] = ""
    with pytest.raises(BankError, match=rf"items\[{index}\] \(key '{item['key']}'\): passage: 0 words"):
        load_bank(write(tmp_path, bank))


def test_a_bank_missing_items_at_a_level_is_refused(tmp_path):
    bank = raw_bank()
    bank["items"] = [item for item in bank["items"] if item["key"] != "v-c2-01"]
    with pytest.raises(BankError, match="5 C2 vocabulary items, expected 6"):
        load_bank(write(tmp_path, bank))


def test_a_file_whose_name_and_version_disagree_is_refused(tmp_path):
    with pytest.raises(BankError, match="the file says version 1, its name says 2"):
        load_bank(write(tmp_path, raw_bank(), "bank-v2.json"))


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "bank-v1.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(BankError, match="cannot read it"):
        load_bank(path)


def load_itembank(*args: str) -> str:
    out = StringIO()
    call_command("load_itembank", *args, stdout=out)
    return out.getvalue()


def bank_in_database() -> dict:
    fields = ("key", "level", "skill", "passage", "prompt", "choices", "answer", "explanation")
    items = sorted(Item.objects.values(*fields), key=lambda item: item["key"])
    prompts = sorted(
        WritingPrompt.objects.values("key", "level", "prompt", "min_words", "max_words"), key=lambda p: p["key"]
    )
    return {"items": items, "writing_prompts": prompts}


def bank_in_file(path: Path) -> dict:
    bank = json.loads(path.read_text(encoding="utf-8"))
    return {section: sorted(bank[section], key=lambda entry: entry["key"]) for section in ("items", "writing_prompts")}


@pytest.mark.django_db(transaction=True)
def test_load_itembank_restores_edited_and_deleted_rows_and_then_changes_nothing():
    Item.objects.filter(key="g-b1-02").update(prompt="edited in the admin", active=False)
    WritingPrompt.objects.filter(key="w-03").delete()
    Item.objects.create(key="g-a1-99", level="A1", skill="grammar", prompt="?", choices=[], answer=0, explanation="")

    first = load_itembank(str(LIVE_BANK))

    assert "bank version 1" in first
    assert "items: 0 created, 1 updated, 107 unchanged; 1 in the database but not in this bank" in first
    assert "writing prompts: 1 created, 0 updated, 9 unchanged" in first
    Item.objects.filter(key="g-a1-99").delete()
    assert bank_in_database() == bank_in_file(LIVE_BANK)
    assert Item.objects.get(key="g-b1-02").active is False  # staff's flag is theirs
    second = load_itembank()
    assert "items: 0 created, 0 updated, 108 unchanged" in second
    assert "writing prompts: 0 created, 0 updated, 10 unchanged" in second


@pytest.mark.django_db(transaction=True)
def test_load_itembank_fills_an_empty_database():
    Item.objects.all().delete()
    WritingPrompt.objects.all().delete()
    out = load_itembank()
    assert "items: 108 created, 0 updated, 0 unchanged" in out and "writing prompts: 10 created" in out
    assert bank_in_database() == bank_in_file(LIVE_BANK)


@pytest.mark.django_db(transaction=True)
def test_load_itembank_dry_run_writes_nothing():
    Item.objects.filter(key="r-c1-01").update(prompt="edited")
    out = load_itembank("--dry-run")
    assert "dry run" in out and "items: 0 created, 1 updated, 107 unchanged" in out
    assert Item.objects.get(key="r-c1-01").prompt == "edited"


@pytest.mark.django_db(transaction=True)
def test_load_itembank_refuses_a_broken_file_and_writes_nothing(tmp_path):
    bank = raw_bank()
    bank["items"][0]["prompt"] = "changed"
    bank["items"][1]["answer"] = 9
    with pytest.raises(CommandError, match=r"items\[1\] \(key 'g-a1-02'\): answer"):
        load_itembank(str(write(tmp_path, bank)))
    assert Item.objects.get(key="g-a1-01").prompt != "changed"


def test_the_migrations_frozen_copy_equals_bank_v1():
    """A changed bank is a new file (bank-v2.json) loaded by the command, never an edit under an old migration."""
    assert json.loads(FROZEN.read_text(encoding="utf-8")) == raw_bank(), (
        "bank-v1.json no longer equals what migration 0002 loaded: put the change in a new bank-v2.json"
    )


def test_the_migration_imports_only_the_standard_library_and_django():
    tree = ast.parse(Path(importlib.import_module(MIGRATION).__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"json", "pathlib", "django.db"}


@pytest.mark.django_db(transaction=True)
def test_the_migration_loads_its_frozen_copy():
    Item.objects.all().delete()
    WritingPrompt.objects.all().delete()
    importlib.import_module(MIGRATION).load(django_apps, None)
    assert bank_in_database() == bank_in_file(FROZEN)
