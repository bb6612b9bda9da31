"""Sphinx configuration of the course's website (``make site``: ``tools/site.py`` builds it from the stored notebooks).

Nothing is executed: every page shows the outputs stored in the notebooks, which CI proves true. The
math renderer (MathJax) ships with the site, so it works without a network.
"""

project = "Activation functions, gradient descent and the vanishing-gradient problem"
author = "the course's authors"
copyright = "the course's authors, MIT licence"
language = "en"

extensions = ["myst_nb", "sphinx_togglebutton", "sphinx-mathjax-offline"]
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "off"  # the stored outputs are the course
nb_merge_streams = True
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_title = "Activation functions and the vanishing-gradient problem"
html_static_path: list[str] = []
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
}
html_last_updated_fmt = None
html_show_sourcelink = False
