"""WSGI entry point for the web server (granian, `tribune serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")

from tribune.core.wsgi import without_process_environment

application = without_process_environment(get_wsgi_application())

# The offensive-language model takes about 1.5 s to load: a web process pays
# it now, not the first reader who posts a comment.
from tribune.discussion.offensive import model as offensive_model  # noqa: E402

offensive_model.warm_up()
