"""The code behind the running and low back pain site: one package.

hook.py          the only MkDocs hook (mkdocs.yml `hooks:`): events in, handed to the kernel
feature_list.py  the features the site runs, in order (beside the hook: the kernel imports none)
kernel/          the build frame, page roles, shortcodes, tree steps, YAML, caches
features/<name>/ one folder per feature: its logic (importable without MkDocs) and its build step
"""
