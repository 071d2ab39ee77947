"""One ID: resolving source records into persons, and the data stewards who correct it."""
