"""apps/privacy sits at the top: it imports the apps whose data it exports and erases, and none of them imports it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_lower_app_imports_the_privacy_app():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "apps").rglob("*.py")
        if "privacy" not in path.relative_to(ROOT / "apps").parts[:1]
        and any(name == "apps.privacy" or name.startswith("apps.privacy.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_export_actor_enqueued_by_its_ref_is_the_one_the_worker_registers():
    import dramatiq

    import actors  # noqa: F401
    from apps.privacy import tasks

    assert dramatiq.get_broker().get_actor(tasks.EXPORT.name).queue_name == tasks.EXPORT.queue
