from django.apps import AppConfig


class LeveltestConfig(AppConfig):
    name = "apps.leveltest"
    label = "leveltest"
    verbose_name = "Level test"
