"""Code several stages share and none owns: the word lists and patterns of reconcile/data (lexicon),
and the literal screens that rules run behind. Nothing here imports a stage."""
