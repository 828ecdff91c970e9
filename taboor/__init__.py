"""The ``taboor`` command and the bootstrap that wires the centre together."""
