from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "apps.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from apps.core.health import register_check
        from apps.core.metrics import register_scrape_collector
        from apps.jobs import broker, setup

        setup.setup_broker()
        register_scrape_collector(broker.collect_queue_depth)
        register_check("broker", broker.check_broker)
