"""No models: the module is here so that Django sends this app `post_migrate` (apps.py)."""
