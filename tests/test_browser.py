"""A real browser: JupyterLab started as the README's `make lab` starts it, chapter 3 run through the UI.

Headless Chromium (Debian's ``chromium``) driven by Playwright opens the notebook, runs every cell with
Run > Run All Cells, checks that no cell shows an error or stderr, and moves the learning-rate explorer's
slider to check that the widget renders and redraws. Screenshots go to ``build/screenshots/`` to be
looked at. Without a Chromium or without Playwright the test skips, saying which is missing.

The test neither reads nor changes the state of the person running it: JupyterLab gets its own
configuration, data, runtime, settings and workspaces folders, and runs with a home folder that holds
what a learner's ``make lab`` leaves behind (a saved workspace with chapters 8 and 1 open). Without that
isolation JupyterLab restores those tabs, chapter 3 opens behind them, and the test times out; with it
the test passes and the saved workspace is left byte for byte as it was.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "") if p and Path(p).exists()), None)
SCREENSHOTS = ROOT / "build" / "screenshots"
CHAPTER_3 = "03_gradient_descent_and_learning_rate.ipynb"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian: apt-get install chromium); .ci/run installs it"),
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What a learner's `make lab` leaves in ~/.jupyter/lab/workspaces: two chapters open, chapter 8 in front.
SAVED_WORKSPACE = {
    "data": {
        "layout-restorer:data": {
            "main": {
                "dock": {"type": "tab-area", "currentIndex": 0,
                         "widgets": ["notebook:08_remedy_lstm_and_gru.ipynb", "notebook:01_activation_functions.ipynb"]},
                "current": "notebook:08_remedy_lstm_and_gru.ipynb",
            },
            "left": {"collapsed": False, "current": "filebrowser", "widgets": ["filebrowser"]},
            "right": {"collapsed": True, "widgets": []},
            "relativeSizes": [0.2, 0.8, 0],
        },
        "notebook:08_remedy_lstm_and_gru.ipynb": {"data": {"path": "08_remedy_lstm_and_gru.ipynb", "factory": "Notebook"}},
        "notebook:01_activation_functions.ipynb": {"data": {"path": "01_activation_functions.ipynb", "factory": "Notebook"}},
    },
    "metadata": {"id": "default"},
}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def users_home(tmp_path):
    """A home folder as a learner leaves it after `make lab`: a saved workspace with other chapters open.
    The test must pass beside it and leave it unchanged."""
    home = tmp_path / "home"
    workspaces = home / ".jupyter" / "lab" / "workspaces"
    workspaces.mkdir(parents=True)
    (workspaces / "default-37a8.jupyterlab-workspace").write_text(json.dumps(SAVED_WORKSPACE))
    before = _files(home)
    yield home
    assert _files(home) == before, "the test changed the user's home folder (JupyterLab settings or workspaces)"


@pytest.fixture
def lab(tmp_path, users_home):
    """``make lab`` with a port, a token, no browser of its own, serving a copy of the notebooks, with every
    cell kept in the page (no windowing) and no autosave, and JupyterLab's own folders for its
    configuration, data, runtime files, settings and workspaces, and the kernel its own IPython,
    matplotlib and Keras folders (none of the user's)."""
    own = tmp_path / "jupyter"
    folders = {name: own / name for name in ("config", "data", "runtime", "workspaces", "ipython", "matplotlib", "keras", "npm")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    env = os.environ | {"HOME": str(users_home), "JUPYTER_CONFIG_DIR": str(folders["config"]),
                        "JUPYTER_DATA_DIR": str(folders["data"]), "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
                        "IPYTHONDIR": str(folders["ipython"]), "MPLCONFIGDIR": str(folders["matplotlib"]),
                        "KERAS_HOME": str(folders["keras"]),  # Keras writes keras.json there on first import
                        "npm_config_cache": str(folders["npm"]), "npm_config_logs_dir": str(folders["npm"])}  # JupyterLab asks npm
    settings = tmp_path / "settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "docmanager-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    (settings / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    notebooks = tmp_path / "notebooks"  # a copy: whatever the browser does, the course's files stay as they are
    shutil.copytree(ROOT / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, token = _free_port(), secrets.token_hex(16)
    args = (f"--no-browser --port={port} --IdentityProvider.token={token} --LabApp.user_settings_dir={settings.parent} "
            f"--LabApp.workspaces_dir={folders['workspaces']}")
    process = subprocess.Popen(
        ["make", "-C", str(ROOT), "lab", f"LAB_ROOT={notebooks}", f"LAB_ARGS={args}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("JupyterLab did not start within 90 s with `make lab`")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", token, notebooks
    finally:  # stop make and JupyterLab (its own process group), by force if a polite signal is not enough
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            time.sleep(3)
        process.wait(timeout=30)


def test_chapter_3_runs_in_jupyterlab_without_errors_and_its_explorer_redraws(lab):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (it is in the test extra)")
    url, token, notebooks = lab
    before = (ROOT / "notebooks" / CHAPTER_3).read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/lab/tree/{CHAPTER_3}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            page.get_by_text("| Idle").wait_for(timeout=60_000)
            assert page.get_by_text("Would you like to get notified about official Jupyter news?").count() == 0, "the news pop-up is on"

            page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
            page.get_by_text("Restart Kernel and Run All Cells…", exact=True).click()
            page.locator(".jp-Dialog .jp-mod-accept").click()
            page.get_by_text("| Busy").wait_for(timeout=30_000)
            # queued and running cells show [*]; cells whose input is folded (the solutions) show no prompt at all
            every_cell_ran = "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].every(e => !e.textContent.includes('*'))"
            try:
                page.wait_for_function(every_cell_ran, timeout=300_000, polling=500)
            except sync_api.TimeoutError:
                page.screenshot(path=str(SCREENSHOTS / "chapter_3_timeout.png"), full_page=True)
                errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_text_contents()
                pytest.fail(f"not every cell ran within 300 s; errors shown: {errors[:2]}; prompts: "
                            f"{page.locator('.jp-CodeCell .jp-InputPrompt').all_text_contents()}")
            page.get_by_text("| Idle").wait_for(timeout=60_000)
            prompts = [p.strip() for p in page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents() if p.strip()]
            numbers = [int(p[1:-2]) for p in prompts]
            code_cells = page.locator(".jp-CodeCell").count()
            assert numbers == sorted(set(numbers)) and code_cells - 5 <= len(numbers) <= code_cells, (
                f"the {code_cells} code cells should run once each, in order (folded solutions show no prompt): {prompts}"
            )
            last_output = page.locator(".jp-CodeCell").last.locator(".jp-OutputArea").inner_text()
            assert "Exercise 3.4: correct." in last_output, f"the last cell (a solution) should have run: {last_output!r}"
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, f"cells show errors or stderr: {errors.all_text_contents()[:3]}"

            slider = page.locator(".widget-slider").first
            slider.scroll_into_view_if_needed()
            assert page.locator(".widget-output img").count() == 0, "the explorer should draw nothing until the slider moves"
            page.locator(".widget-slider .noUi-handle").first.focus()
            page.keyboard.press("ArrowRight")
            figure = page.locator(".widget-output img").first
            figure.wait_for(timeout=60_000)
            figure.scroll_into_view_if_needed()
            page.get_by_text("| Idle").wait_for(timeout=60_000)
            page.screenshot(path=str(SCREENSHOTS / "chapter_3_explorer.png"))
            assert figure.bounding_box()["width"] > 400, "the redrawn figure should be visible"
        finally:
            browser.close()
    assert (ROOT / "notebooks" / CHAPTER_3).read_bytes() == before, "running the notebook in the browser must not change it on disk"


def test_the_website_renders_formulas_and_figures_offline(tmp_path):
    """The home page and chapter 4's page in Chromium: formulas typeset, every figure loaded, no request
    leaves the machine (MathJax ships with the site)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (it is in the test extra)")
    pytest.importorskip("myst_nb", reason="the site extra is not installed")
    import functools
    import http.server
    import threading

    from tools import site

    built = site.build(tmp_path / "site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}"
    outside = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu",
                                                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((local, "data:", "blob:")) else None)
                page.goto(f"{local}/index.html", wait_until="networkidle")
                assert page.locator("h1").first.inner_text().startswith("Activation functions")
                assert page.locator("a[href*='04_vanishing_gradients']").count() >= 1
                page.screenshot(path=str(SCREENSHOTS / "site_home.png"))

                page.goto(f"{local}/notebooks/04_vanishing_gradients.html", wait_until="networkidle")
                page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
                assert page.locator("mjx-container").count() > 20, "the formulas should be typeset by MathJax"
                assert page.locator("text=勾配消失問題").count() >= 1, "the Japanese terms should be on the page"
                images = page.evaluate("[...document.images].map(i => [i.src, i.complete && i.naturalWidth > 0])")
                assert len(images) >= 8 and all(ok for _, ok in images), f"figures that did not load: {[s for s, ok in images if not ok]}"
                page.locator("h2", has_text="4.1 The chain rule").first.scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOTS / "site_chapter_4.png"))
            finally:
                browser.close()
    finally:
        server.shutdown()
    assert not outside, f"the site asked the network for: {outside[:5]}"
