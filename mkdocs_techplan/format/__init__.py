"""The plan.yaml format: YAML read with positions and limits, the JSON Schema (the one
definition of the format), validation, the typed model, problems and writing YAML back.

Depends on nothing else in the package; every other layer builds on it.
"""
