from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Learners' data rights (export, erasure), the audit log of who saw or handled their data, and retention."""

    name = "apps.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from apps.privacy import signals  # noqa: F401  (receivers: speech files, staff views on the teacher pages)
