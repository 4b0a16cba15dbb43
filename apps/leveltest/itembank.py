"""The level test's item bank: a versioned JSON file under ``banks/``, checked against a schema when it is read.

A bank holds its ``version``, its ``items`` (multiple choice; 6 grammar, 6 vocabulary and 6 reading items per level,
each reading item carrying its passage) and its ``writing_prompts``. ``load_bank(path)`` returns it validated or
raises ``BankError`` naming each item and field at fault; ``install(bank)`` writes it to the database (``manage.py
load_itembank``). The data migration 0002 reads its own frozen copy (``migrations/data/``), never this module, so
editing a bank changes no old migration: a changed bank is a new file, ``bank-v2.json``, with ``"version": 2``.
"""

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from django.db import transaction
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from apps.core.levels import LEVELS
from apps.leveltest.models import Item, Skill, WritingPrompt

BANKS_DIR = Path(__file__).resolve().parent / "banks"
LIVE_BANK = BANKS_DIR / "bank-v1.json"
SKILLS: tuple[str, ...] = tuple(Skill.values)
ITEMS_PER_LEVEL_AND_SKILL = 6
PASSAGE_WORDS = range(40, 161)
MIN_WRITING_PROMPTS = 8
WRITING_LEVELS = LEVELS[1:]  # A1 learners are not asked to write
Row = TypeVar("Row", Item, WritingPrompt)


class BankError(Exception):
    """Raised when an item bank file cannot be read or breaks the schema (the message names each item and field)."""


def _one_of(allowed: Sequence[str]):
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Key = Annotated[str, StringConstraints(pattern=r"^[-a-z0-9]+$", max_length=32)]
Level = Annotated[str, _one_of(LEVELS)]
Text = Annotated[str, AfterValidator(_not_blank)]
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


class BankItem(BaseModel):
    """A multiple-choice item, as the ``Item`` model stores it."""

    model_config = STRICT
    key: Key
    level: Level
    skill: Annotated[str, _one_of(SKILLS)]
    passage: str
    prompt: Text
    choices: Annotated[list[Text], Field(min_length=4, max_length=4)]
    answer: Annotated[int, Field(ge=0, le=3, description="index of the right choice")]
    explanation: Text

    @model_validator(mode="after")
    def _consistent(self) -> "BankItem":
        prefix = f"{self.skill[0]}-{self.level.lower()}-"
        if not self.key.startswith(prefix):
            raise ValueError(f"key: a {self.level} {self.skill} item's key starts with {prefix!r}")
        if len({choice.strip().lower() for choice in self.choices}) != len(self.choices):
            raise ValueError("choices: two choices are the same")
        words = len(self.passage.split())
        if self.skill == Skill.READING and words not in PASSAGE_WORDS:
            raise ValueError(f"passage: {words} words, a reading passage has 40-160")
        if self.skill != Skill.READING and self.passage:
            raise ValueError("passage: only reading items have one")
        return self


class BankWritingPrompt(BaseModel):
    """A writing task, as the ``WritingPrompt`` model stores it."""

    model_config = STRICT
    key: Key
    level: Level
    prompt: Text
    min_words: Annotated[int, Field(ge=1)]
    max_words: int

    @model_validator(mode="after")
    def _limits(self) -> "BankWritingPrompt":
        if self.max_words <= self.min_words:
            raise ValueError(f"max_words: {self.max_words} is not above min_words ({self.min_words})")
        return self


class Bank(BaseModel):
    model_config = STRICT
    version: Annotated[int, Field(ge=1)]
    items: list[BankItem]
    writing_prompts: list[BankWritingPrompt]

    @model_validator(mode="after")
    def _complete(self) -> "Bank":
        keys = Counter([item.key for item in self.items] + [prompt.key for prompt in self.writing_prompts])
        if duplicates := sorted(key for key, n in keys.items() if n > 1):
            raise ValueError(f"key used twice: {', '.join(duplicates)}")
        cells = Counter((item.level, item.skill) for item in self.items)
        for level in LEVELS:
            for skill in SKILLS:
                if (n := cells[level, skill]) != ITEMS_PER_LEVEL_AND_SKILL:
                    raise ValueError(f"items: {n} {level} {skill} items, expected {ITEMS_PER_LEVEL_AND_SKILL}")
        if len(self.writing_prompts) < MIN_WRITING_PROMPTS:
            raise ValueError(f"writing_prompts: {len(self.writing_prompts)}, expected at least {MIN_WRITING_PROMPTS}")
        if missing := sorted(set(WRITING_LEVELS) - {prompt.level for prompt in self.writing_prompts}):
            raise ValueError(f"writing_prompts: none at {', '.join(missing)}")
        return self


def load_bank(path: Path = LIVE_BANK) -> Bank:
    """Return the bank in the JSON file at ``path``, validated; raise ``BankError`` for an unreadable or bad file."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BankError(f"{path}: cannot read it: {exc}") from exc
    try:
        bank = Bank.model_validate(raw)
    except ValidationError as exc:
        problems = "\n".join(f"  {_describe(error, raw)}" for error in exc.errors())
        raise BankError(f"{path}: {exc.error_count()} problem(s):\n{problems}") from exc
    named = re.fullmatch(r"bank-v(\d+)\.json", Path(path).name)
    if named and int(named[1]) != bank.version:
        raise BankError(f"{path}: the file says version {bank.version}, its name says {named[1]}")
    return bank


def _describe(error: Any, raw: Any) -> str:
    """One line for a pydantic error: the item (section, index and key), then the field, then what is wrong."""
    loc = list(error["loc"])
    message = str(error["ctx"]["error"]) if error["type"] == "value_error" else error["msg"]
    where = ""
    if len(loc) >= 2 and isinstance(loc[1], int):
        entry = raw[loc[0]][loc[1]]
        key = entry.get("key") if isinstance(entry, dict) else None
        where = f"{loc[0]}[{loc[1]}] (key {key!r}): "
        loc = loc[2:]
    field = ".".join(str(part) for part in loc)
    return f"{where}{field}: {message}" if field else f"{where}{message}"


@dataclass(frozen=True)
class Tally:
    """What loading a bank did to one table; ``other`` counts rows the bank does not have (left as they are)."""

    created: int
    updated: int
    unchanged: int
    other: int


def install(bank: Bank, *, dry_run: bool = False) -> dict[str, Tally]:
    """Write ``bank`` to the database, matching rows by key: create the missing, update those whose content differs.

    Returns a ``Tally`` for ``"items"`` and for ``"writing_prompts"``. Running it twice changes nothing the second
    time. Rows the bank lacks and the ``active`` flags staff set in the admin are left alone (answers point to
    items). With ``dry_run`` nothing is written.
    """
    items = {item.key: item.model_dump(exclude={"key"}) for item in bank.items}
    prompts = {prompt.key: prompt.model_dump(exclude={"key"}) for prompt in bank.writing_prompts}
    with transaction.atomic():
        return {"items": _sync(Item, items, dry_run), "writing_prompts": _sync(WritingPrompt, prompts, dry_run)}


def _sync(model: type[Row], entries: dict[str, dict[str, Any]], dry_run: bool) -> Tally:
    rows = {row.key: row for row in model.objects.filter(key__in=entries)}
    created: list[Row] = []
    updated: list[Row] = []
    for key, values in entries.items():
        row = rows.get(key)
        if row is None:
            created.append(model(key=key, **values))
        elif any(getattr(row, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            updated.append(row)
    if not dry_run and created:
        model.objects.bulk_create(created)
    if not dry_run and updated:
        model.objects.bulk_update(updated, list(next(iter(entries.values()))))
    other = model.objects.exclude(key__in=entries).count()
    return Tally(len(created), len(updated), len(entries) - len(created) - len(updated), other)
