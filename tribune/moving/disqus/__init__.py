"""The Disqus import: `reader` parses, `matching` finds reports, `importer` writes."""
