"""The app's screens: Review, Timeline, the forms and the help panel."""
