from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The composition root as an app, for its management commands (``serve``): they import ``project.env``."""

    name = "project"
    label = "project"
    verbose_name = "Project"
