"""The static files storage: WhiteNoise's compressed, hashed copies.

With `support_js_module_import_aggregation`, collectstatic also rewrites the
`import ... from "./common.js"` lines of the ES modules to the hashed names, so a
module a page loads never imports a stale, year-cached copy of its helpers.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
