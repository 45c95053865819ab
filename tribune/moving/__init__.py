"""Moving a newsroom in and out.

Imports from WordPress (+ wpDiscuz) and Disqus, the old links that keep answering,
and exports of everything.
"""
