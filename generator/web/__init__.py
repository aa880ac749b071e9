"""`cil serve`: a web application over the same library as the command line, for the EPCI
staff and council secretariats who will never open a terminal."""
