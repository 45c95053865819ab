"""Exports of the whole site: WordPress's WXR (`wxr`) and documented JSON (`json_export`)."""
