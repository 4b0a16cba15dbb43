from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "apps.progress"
    label = "progress"
    verbose_name = "Progress"

    def ready(self) -> None:
        from apps.progress import receivers  # noqa: F401  (connects the signal receivers)
