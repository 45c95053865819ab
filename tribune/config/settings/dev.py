"""The demo and local development: SQLite by default, a secret kept in var/."""

from tribune.config import env
from tribune.config.settings.base import *  # noqa: F403

DEBUG = env.get_bool("DEBUG", False)
SECRET_KEY = env.get("SECRET_KEY") or env.demo_secret_key()
# The demo's donate page explains how to try card payments with Stripe test keys.
FUNDING_SETUP_HELP = True
