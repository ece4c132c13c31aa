"""The prebuilt JupyterLab extension of conv1d-explorer (the npm package holds the kernel API)."""

try:
    # Written by the build from package.json's version: both halves report one version.
    from ._version import __version__
except ImportError:  # a checkout that was never built
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "conv1d-explorer"}]
