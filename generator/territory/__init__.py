"""Territory stage: load a territory folder, validate every table and setting, with located errors."""
