"""Alert rules: text normalization, the query language and the matching engine."""
