"""Reports of transcripts: one session or a group side by side, as Markdown, HTML or JSON.

Nothing is imported here: ``coach --help`` must stay free of jinja2 and yaml. The
pipeline is lazy from end to end: ``inputs`` reads (name, document) pairs one at a
time, ``data`` turns each into template data, ``group`` keeps running tallies and
spools per-participant rows to a temporary file, ``render`` streams the templates to
the output. See the README, "Reports".
"""
