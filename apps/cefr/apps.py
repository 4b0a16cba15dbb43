from django.apps import AppConfig


class CefrConfig(AppConfig):
    """The CEFR classifier app; it imports nothing heavy, so the web process never loads torch."""

    name = "apps.cefr"
    label = "cefr"
    verbose_name = "CEFR sentence levels"
