"""The app's widgets: thin views over `followup_tui.tui.review` rows."""
