"""Rebuild wilayah.csv and kecamatan_33.csv from a checkout of github.com/cahyadsn/wilayah.

Usage: python extract_wilayah.py PATH_TO_CHECKOUT OUT_DIR
"""
import csv
import re
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])
pen_sql = (src / "db" / "wilayah_penduduk.sql").read_text(encoding="utf-8")
wil_sql = (src / "db" / "wilayah.sql").read_text(encoding="utf-8")
pen = {m[0]: int(m[4]) for m in re.findall(
    r"^\('([0-9.]+)','((?:[^']|'')*)','(\d+)','(\d+)','(\d+)'\)", pen_sql, re.M)}
names = {k: v.replace("''", "'") for k, v in re.findall(r"^\('([0-9.]+)','((?:[^']|'')*)'\)", wil_sql, re.M)}
WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}
WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}


def zone(code):
    p = code[:2]
    if p in WIT:
        return "Asia/Jayapura", "WIT"
    return ("Asia/Makassar", "WITA") if p in WITA else ("Asia/Jakarta", "WIB")


rows = []
for code, name in sorted(names.items()):
    if re.fullmatch(r"\d{2}", code):
        level, parent, shown = "province", "", "Provinsi " + name
    elif re.fullmatch(r"\d{2}\.\d{2}", code):
        level, parent, shown = ("kota" if name.startswith("Kota") else "kabupaten"), code[:2], name
    else:
        continue
    rows.append((code, shown, level, parent, *zone(code), pen.get(code, "")))
with (out / "wilayah.csv").open("w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["region_code", "name", "level", "parent_code", "timezone", "tz_label", "population"])
    w.writerows(rows)
kec = [(c, n, c[:5]) for c, n in sorted(names.items()) if re.fullmatch(r"33\.\d{2}\.\d{2}", c)]
with (out / "kecamatan_33.csv").open("w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["district_code", "name", "region_code"])
    w.writerows(kec)
