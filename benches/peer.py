#!/usr/bin/env python3
"""The peer a researcher would write: pandas read_csv, lower-case, one regular
expression per role counting the same phrases as pmpo's lexicon, label by
which role has more hits. Usage: peer.py LEXICON.json INPUT.csv OUTPUT.csv"""
import json
import re
import sys

import pandas as pd


def main() -> None:
    lexicon, src, dst = sys.argv[1:4]
    phrases = json.load(open(lexicon, encoding="utf-8"))["phrases"]
    by_role = {}
    for p in phrases:
        by_role.setdefault(p["role"], []).append(re.escape(p["example"]))
    patterns = {
        role: re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")
        for role, words in by_role.items()
    }
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    text = df["description"].str.lower()
    counts = {role: text.str.count(pat) for role, pat in patterns.items()}
    pm, po = counts.get("pm", 0), counts.get("po", 0)
    total = pm + po
    share = pm / total.where(total > 0, 1)
    df["peer_label"] = "none"
    df.loc[(total > 0) & (share >= 2 / 3), "peer_label"] = "pm"
    df.loc[(total > 0) & (share <= 1 / 3), "peer_label"] = "po"
    df.loc[(total > 0) & (share > 1 / 3) & (share < 2 / 3), "peer_label"] = "hybrid"
    df.to_csv(dst, index=False)


if __name__ == "__main__":
    main()
