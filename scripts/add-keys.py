#!/usr/bin/env python3
"""Adds catalogue keys to app/locales/{zh,en}.json from a Python file defining
K = {key: (zh, en)}. Existing keys are left alone; order is kept, new keys appended."""
import json, sys, runpy
from collections import OrderedDict

keys = runpy.run_path(sys.argv[1])["K"]
for i, lang in enumerate(["zh", "en"]):
    path = f"app/locales/{lang}.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f, object_pairs_hook=OrderedDict)
    for k, v in keys.items():
        data.setdefault(k, v[i])
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")
