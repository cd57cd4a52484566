"""Execute a notebook headless with nbclient in the current interpreter's Python kernel."""

import os
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent
CELL_TIMEOUT_S = 600


def execute_notebook(name, environment, executed_path=None):
    """Run notebooks/<name>.ipynb with ``environment`` added to the kernel's environment.

    Saves the executed notebook, outputs included, to ``executed_path`` even when a cell
    fails, then re-raises the failure (``nbclient.exceptions.CellExecutionError``).
    """
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    kernel_environment = dict(os.environ, **environment)
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        # IPC sockets in a private directory instead of TCP ports on 127.0.0.1.
        manager = KernelManager(kernel_name="python3", transport="ipc",
                                ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(notebook, km=manager, timeout=CELL_TIMEOUT_S,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        try:
            client.execute(env=kernel_environment)
        finally:
            if executed_path is not None:
                Path(executed_path).parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(notebook, executed_path)
    return notebook
