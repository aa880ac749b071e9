"""Pure computations over a territory's data: shares, objectives, secrecy."""
