"""The lean-assets feature: after the build, the site's copies of our own stylesheet and scripts (the ones
mkdocs.yml lists in extra_css and extra_javascript) are shrunk in place (backpain_site/features/lean_assets/__init__.py)."""

from __future__ import annotations

from backpain_site.kernel import BuildError

from . import ShrinkError, shrink_site


def own_assets(config) -> tuple[str, ...]:
    """The site's own stylesheets and scripts, as mkdocs.yml lists them (paths inside the site)."""
    scripts = [getattr(item, "path", item) for item in config.extra_javascript]
    return tuple(
        str(path) for path in [*config.extra_css, *scripts] if not str(path).startswith(("http:", "https:", "//"))
    )


class LeanAssets:
    name = "lean-assets"

    def post_build(self, build) -> None:
        try:
            shrink_site(build.config.site_dir, own_assets(build.config))
        except ShrinkError as error:
            raise BuildError(f"{build.docs.name}/{error}") from None
