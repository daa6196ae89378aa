"""The console's pages as Flask blueprints: each translates a form into one adapter call and
the answer into a template; no rule of the covenant is decided here."""
