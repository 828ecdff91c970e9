"""Pure rules of the centre: CPR, calling policy, check-in window, numbering, estimates, speech."""
