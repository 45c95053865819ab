"""Offensive language: the site's word list (pure), the shipped English model, and
the verdict the posting path asks for."""
