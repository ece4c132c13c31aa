"""Jupyter server for the end-to-end tests: Galata's test set-up, rooted in a fresh folder
inside the repository (so notebooks there resolve the `conv1d-explorer` package)."""
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object Jupyter passes in)
c.ServerApp.port = int(os.environ.get("C1E_E2E_PORT", "8895"))  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
