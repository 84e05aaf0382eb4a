"""The specification this engine implements; it changes with any rule, limit, code or note."""

SPEC_VERSION = "followup-1"
SPECIFICATION = "followup.md"
