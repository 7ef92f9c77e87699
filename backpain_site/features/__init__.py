"""One package per feature; each has its build step in build.py (a class named in feature_list.py)."""
