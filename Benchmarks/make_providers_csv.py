#!/usr/bin/env python3
"""Writes N believable provider rows in the layout of `yachaq import providers`.

Usage: Benchmarks/make_providers_csv.py N > providers.csv
Deterministic (seeded), unique DNIs, districts drawn from SQL/data/peru_districts.csv.
"""
import csv
import random
import sys
from pathlib import Path

count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(2026)
districts = [row["ubigeo"] for row in csv.DictReader(open(Path(__file__).parent.parent / "SQL/data/peru_districts.csv", encoding="utf-8"))]
varieties = ["quz", "qxp", "quy", "qve", "qvc", "ayr", "qwh"]
skills = ["water.sprinkler", "water.harvesting", "camelids.fibre", "camelids.health", "livestock.dairy", "crops.native_potato", "business.plans", "crafts.weaving"]
given = ["Rosa", "María", "Juana", "Sabina", "Juan", "Pedro", "Wilber", "Efraín", "Teófilo", "Hilda"]
surnames = ["Quispe", "Mamani", "Huamán", "Condori", "Ccama", "Choque", "Apaza", "Huanca", "Flores", "Rojas"]

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["full_name", "kind", "gender", "birth_year", "national_id", "phone", "home_ubigeo", "daily_rate_cents",
              "travel_radius_km", "will_live_in_community", "status", "consent_to_publish", "languages", "skills", "bio"])
for index in range(count):
    variety = rng.choice(varieties)
    languages = f"{variety}:{rng.randint(2, 4)}/4/{rng.randint(0, 4)}/{rng.randint(0, 4)}" + (":teach" if rng.random() < 0.2 else "") + f";spa:{rng.randint(2, 4)}/4/3/3"
    chosen = rng.sample(skills, rng.randint(1, 3))
    out.writerow([
        f"{rng.choice(given)} {rng.choice(surnames)} {rng.choice(surnames)}", rng.choice(["yachaq", "yachachiq", "yachachiq", "tecnico", "profesional"]),
        rng.choice(["female", "male"]), rng.randint(1960, 2003), f"{50000000 + index:08d}", f"9{rng.randint(10000000, 99999999)}",
        rng.choice(districts), rng.randint(50, 250) * 100, rng.choice([20, 30, 50, 80, 120]), rng.choice(["true", "false"]), "active",
        "true", languages, ";".join(f"{code}:{rng.randint(1, 4)}/{rng.randint(0, 25)}" for code in chosen), "",
    ])
