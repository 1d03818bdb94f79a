"""The tests' own writers: the seed document rendered into the forms people meet it in."""
