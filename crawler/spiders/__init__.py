"""Spiders: discover a blog's posts and yield each fetched page."""
