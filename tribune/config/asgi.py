"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")
application = get_asgi_application()

# The offensive-language model takes about 1.5 s to load: a web process pays
# it now, not the first reader who posts a comment.
from tribune.discussion.offensive import model as offensive_model  # noqa: E402

offensive_model.warm_up()
