"""``make bench``: the mock against Prism 5 and two ceilings, under the same load (see README.md)."""
