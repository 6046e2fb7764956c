"""The build core: a site's configuration (`mkdocs.yml`, `properdocs.yml`, `zensical.toml`) and
docs files in; plan pages, outputs (index, `plans.json`, `feed.xml`, badges, assets) and
problems out. The MkDocs plugin, the Zensical extension and every command call it, and
nothing else of the pipeline."""
