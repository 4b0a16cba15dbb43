"""The six CEFR levels, named once for every app (the CEFR model, OCR vocabulary, chat, the level test)."""

LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")
LEVEL_INDEX: dict[str, int] = {level: index for index, level in enumerate(LEVELS)}
LEVEL_CHOICES: list[tuple[str, str]] = [(level, level) for level in LEVELS]
