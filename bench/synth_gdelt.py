#!/usr/bin/env python3
"""Writes N SYNTHETIC events as GDELT 2.0 event rows (61 tab-separated columns) to stdout.

The data is random and labelled synthetic everywhere: actor names start with "SYNTHETIC", source URLs are
synthetic://batch/N. It exists only to load-test the store, the API and the dashboard.
Usage: python3 bench/synth_gdelt.py 1000000 > synthetic.tsv   (deterministic: seed 7)
"""
import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
PER_ARTICLE = 1000
rng = random.Random(7)
COUNTRIES = {  # iso3: (lat, lon)
    "SRB": (44.0, 20.9), "XKX": (42.6, 20.9), "USA": (38.9, -77.0), "RUS": (55.8, 37.6), "UKR": (50.4, 30.5),
    "CHN": (39.9, 116.4), "ISR": (31.8, 35.2), "PSE": (31.5, 34.5), "IRN": (35.7, 51.4), "IRQ": (33.3, 44.4),
    "SYR": (33.5, 36.3), "TUR": (39.9, 32.9), "DEU": (52.5, 13.4), "FRA": (48.9, 2.35), "GBR": (51.5, -0.13),
    "IND": (28.6, 77.2), "PAK": (33.7, 73.1), "AFG": (34.5, 69.2), "NGA": (9.1, 7.4), "SDN": (15.5, 32.5),
    "ETH": (9.0, 38.7), "SOM": (2.0, 45.3), "COD": (-4.3, 15.3), "MLI": (12.6, -8.0), "VEN": (10.5, -66.9),
    "COL": (4.7, -74.1), "MEX": (19.4, -99.1), "BRA": (-15.8, -47.9), "JPN": (35.7, 139.7), "KOR": (37.6, 127.0),
}
CODES = [("036", 4.0, 1), ("041", 1.0, 1), ("042", 1.9, 1), ("051", 3.4, 1), ("057", 8.0, 1), ("061", 6.4, 2),
         ("073", 7.4, 2), ("0841", 7.0, 2), ("100", -5.0, 3), ("111", -2.0, 3), ("112", -2.0, 3), ("120", -4.0, 3),
         ("130", -4.4, 3), ("141", -6.5, 3), ("163", -8.0, 4), ("154", -7.2, 4), ("173", -5.0, 4), ("190", -10.0, 4),
         ("193", -10.0, 4), ("195", -10.0, 4)]
SECTORS = ["GOV", "MIL", "POL", "REB", "CVL", ""]
isos = list(COUNTRIES)
out = sys.stdout
for i in range(N):
    a, b = rng.sample(isos, 2)
    code, gold, quad = rng.choice(CODES)
    day = rng.randrange(730)
    y, doy = 2023 + day // 365, day % 365
    month = min(12, doy // 31 + 1)
    dom = min(28, doy % 31 + 1)
    sql = f"{y}{month:02d}{dom:02d}"
    s1, s2 = rng.choice(SECTORS), rng.choice(SECTORS)
    lat, lon = COUNTRIES[b]
    lat += rng.uniform(-1.5, 1.5)
    lon += rng.uniform(-1.5, 1.5)
    row = [str(10_000_000 + i), sql, sql[:6], sql[:4], f"{y + doy / 365:.4f}",
           a + s1, f"SYNTHETIC {a}", a, "", "", "", "", s1, "", "",
           b + s2, f"SYNTHETIC {b}", b, "", "", "", "", s2, "", "",
           "1", code, code[:3], code[:2], str(quad), str(gold), str(rng.randint(1, 20)), "1", "1", "0",
           "0", "", "", "", "", "", "", "",
           "0", "", "", "", "", "", "", "",
           "4", f"SYNTHETIC PLACE {b}", b, "", "", f"{lat:.4f}", f"{lon:.4f}", "",
           sql + "000000", f"synthetic://batch/{i // PER_ARTICLE}"]
    out.write("\t".join(row) + "\n")
