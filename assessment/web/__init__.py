"""Flask blueprints, forms and templates: thin views that parse, call a service and render."""
