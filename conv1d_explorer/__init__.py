"""The prebuilt JupyterLab extension of conv1d-explorer (the npm package holds the rest)."""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "conv1d-explorer"}]
