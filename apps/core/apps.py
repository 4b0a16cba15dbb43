import functools

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Platform core"

    def ready(self):
        import redis.utils

        # redis-py 8 asks importlib.metadata for its own version on every new connection (CLIENT SETINFO), which
        # parses the package metadata each time: ~2 ms of CPU per connection, 7% of the web processes' CPU in a
        # chat burst while the pools grow (py-spy --gil). The version cannot change in a running process.
        redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)
