"""Exports of the whole site: WordPress WXR (`wxr`) and documented JSON."""
