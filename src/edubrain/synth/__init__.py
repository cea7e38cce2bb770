"""A synthetic Beijing: realistic, reproducible education data for the whole city.

``generate.generate(SynthConfig(...))`` writes the files and a manifest; ``load.load_city(home, root)``
submits them through the exchange. See docs/synth.md.
"""
