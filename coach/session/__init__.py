"""A running dialogue: answers, navigation, transcripts. No UI here."""
