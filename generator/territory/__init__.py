"""Territory stage: load a territory folder and validate every table and setting."""
