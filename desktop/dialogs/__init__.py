"""Dialogs: sign-in, password change, the suggestion editor, preferences."""
