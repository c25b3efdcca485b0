"""Chapter content: `chNN.py` holds one tuple, `EXERCISES`, of `Exercise` specs. Nothing else.

A module here is what makes a chapter "have exercises"; `graders.registry` finds them by name.
"""
