"""The default rules followup ships (installed as ``followup.default_rules``)."""
