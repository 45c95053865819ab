"""The demo and local development: SQLite by default, a secret kept in var/."""

from tribune.config import env
from tribune.config.settings.base import *  # noqa: F403

DEBUG = env.get_bool("DEBUG", False)
SECRET_KEY = env.get("SECRET_KEY") or env.demo_secret_key()
