"""Reading level-labelled sentences from ``text,level[,level_low,level_high]`` CSV files (no torch here)."""

import csv
from dataclasses import dataclass
from pathlib import Path

from apps.cefr.levels import level_below, normalize_level


@dataclass(frozen=True)
class LabelledSentence:
    """One sentence with its gold ``level`` and the two annotators' levels used by lenient scoring."""

    text: str
    level: str
    level_low: str
    level_high: str


@dataclass(frozen=True)
class LabelledSet:
    """The rows of one CSV file; ``annotator_columns`` says whether level_low/level_high came from the file."""

    rows: list[LabelledSentence]
    annotator_columns: bool

    @property
    def texts(self) -> list[str]:
        return [row.text for row in self.rows]

    @property
    def levels(self) -> list[str]:
        return [row.level for row in self.rows]


def read_labelled_csv(path: str | Path) -> LabelledSet:
    """Read a UTF-8 CSV with a header containing ``text`` and ``level`` (optionally ``level_low`` and ``level_high``).

    Without the annotator columns, level_low is one level below ``level`` and level_high is ``level`` (``level`` is
    the higher of two annotators who differ by at most one level). Raises FileNotFoundError for a missing file and
    ValueError (with the line number) for a missing column, an empty text or an unknown level.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        missing = {"text", "level"} - columns
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}; expected text,level")
        annotators = {"level_low", "level_high"} <= columns
        rows = [_parse_row(row, annotators, f"{path}:{reader.line_num}") for row in reader]
    return LabelledSet(rows=rows, annotator_columns=annotators)


def _parse_row(row: dict[str, str], annotators: bool, where: str) -> LabelledSentence:
    text = (row.get("text") or "").strip()
    if not text:
        raise ValueError(f"{where}: empty text")
    try:
        level = normalize_level(row.get("level") or "")
        low = normalize_level(row["level_low"]) if annotators else level_below(level)
        high = normalize_level(row["level_high"]) if annotators else level
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from exc
    return LabelledSentence(text=text, level=level, level_low=low, level_high=high)
