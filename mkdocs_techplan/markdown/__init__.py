"""The one Markdown layer: escaping plan text for output, reading Markdown (CommonMark parser
with source positions), markers in pages, link safety, and reading generated Markdown back.

Imports `format` only.
"""
