"""Demo assets for Shenzhen, placed on real OpenStreetMap geodata (seed/geodata, ODbL).

- 中国铁塔: a tower and two smart poles beside every metro station, a tower at every train station;
- 深圳供电局: a communication room at every substation and power plant, a pole beside each substation;
- 深圳地铁集团: ducts along the 2016 metro lines, an equipment room at stations on those lines, and
  reserved space (with a power guarantee) along a *planned* line drawn through real stations that
  the 2016 lines do not serve (the line itself is invented for the demo);
- 移动 / 联通 / 电信: fibre cables along the metro lines.

Everything is generated from a fixed random seed, so a second run produces the same content and
the upsert by external_id writes nothing. The rows go through the same validation and bulk upsert
as an API import.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.schemas import AssetCreate
from infrashare.assets.service import check_rules, content_of, region_points
from infrashare.assets.upsert import Outcome, upsert_assets
from infrashare.core.geo import moved
from infrashare.core.principal import Actor
from infrashare.core.settings import PROJECT_ROOT

GEODATA = PROJECT_ROOT / "seed" / "geodata"
TELECOMS = ("mobile", "unicom", "telecom")
SEGMENT_VERTICES = 12


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    lon: float
    lat: float
    district: str
    lines: str | None = None


def _sites(filename: str, label: str) -> list[Site]:
    document = json.loads((GEODATA / filename).read_text(encoding="utf-8"))
    sites = []
    for feature in document["features"]:
        properties = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        name = properties.get("name") or f"{properties['district_name']}{label}{feature['id'][-4:]}"
        sites.append(
            Site(feature["id"], name, lon, lat, properties["district_code"], properties.get("lines_osm2016"))
        )
    return sites


def _lines() -> list[tuple[str, list[list[float]]]]:
    document = json.loads((GEODATA / "shenzhen_metro_lines_osm2016.geojson").read_text(encoding="utf-8"))
    parts = []
    for feature in document["features"]:
        for part in feature["geometry"]["coordinates"]:
            parts.append((str(feature["properties"]["line"]), part))
    return parts


def _offset(lon: float, lat: float, metres: float, bearing: float) -> list[float]:
    moved_lon, moved_lat = moved((lon, lat), metres * math.sin(bearing), metres * math.cos(bearing))
    return [round(moved_lon, 6), round(moved_lat, 6)]


class DemoAssets:
    """Builds the demo asset bodies per owner (by organisation slug)."""

    def __init__(self) -> None:
        self.random = random.Random(440300)  # noqa: S311 - reproducible demo data, not secrets
        self.bodies: dict[str, list[dict[str, Any]]] = {}
        self.stations = _sites("shenzhen_metro_stations.geojson", "站")
        self.trains = _sites("shenzhen_train_stations.geojson", "火车站")
        self.substations = _sites("shenzhen_power_substations.geojson", "变电站")
        self.plants = _sites("shenzhen_power_plants.geojson", "电厂")

    def add(self, owner: str, body: dict[str, Any]) -> None:
        self.bodies.setdefault(owner, []).append(body)

    def _terms(self, kind: str, total: int) -> dict[str, Any]:
        r = self.random
        roll = r.random()
        status = (
            "planned" if roll < 0.08 else "full" if roll < 0.2 else "retired" if roll < 0.23 else "available"
        )
        free = 0 if status in ("full", "retired") else r.randint(1, total) if status == "available" else total
        visibility = r.choices(["public", "operators", "regulators"], weights=[75, 17, 8])[0]
        ready = date(2026, 12, 1) + timedelta(days=r.randint(30, 900)) if status == "planned" else None
        return {
            "kind": kind,
            "status": status,
            "ready_date": ready.isoformat() if ready else None,
            "visibility": visibility,
            "capacity": {"total": total, "free": free},
            "sharing": {
                "terms": r.choice(["按年租用，电费另计", "共享共建，费用分摊", "可议价，优先同城运营商", ""]),
                "indicative_price_cny": r.choice([None, 1200, 2400, 3600, 6000, 9600]),
                "lead_time_days": r.choice([None, 14, 30, 60, 90]),
            },
        }

    def build(self) -> dict[str, list[dict[str, Any]]]:
        self._around_stations()
        self._power_sites()
        self._along_lines()
        self._planned_line()
        return self.bodies

    def _point(self, site: Site, metres: float) -> dict[str, Any]:
        return {
            "type": "Point",
            "coordinates": _offset(site.lon, site.lat, metres, self.random.uniform(0, 2 * math.pi)),
        }

    def _around_stations(self) -> None:
        r = self.random
        for site in self.stations + self.trains:
            tower = self._terms("tower", r.choice([3, 4, 6, 9]))
            height = r.choice([25, 30, 35, 40, 45])
            tower |= {
                "external_id": f"DEMO-TWR-{site.key[-8:]}",
                "name": f"{site.name}站旁铁塔",
                "geometry": self._point(site, r.uniform(80, 250)),
                "region_code": site.district,
                "address": f"{site.name}站附近（演示）",
                "attributes": {
                    "structure_type": r.choice(["lattice", "monopole", "camouflaged"]),
                    "height_m": height,
                    "wind_load_class": r.choice(["A", "B", "C"]),
                    "mounting_heights_m": [height - 6, height - 3, height],
                },
            }
            self.add("tower", tower)
            if site in self.trains:
                continue
            for number in (1, 2):
                pole = self._terms("pole", r.choice([2, 3, 4]))
                pole |= {
                    "external_id": f"DEMO-POLE-{site.key[-8:]}-{number}",
                    "name": f"{site.name}站智慧杆{number}号",
                    "geometry": self._point(site, r.uniform(40, 160)),
                    "region_code": site.district,
                    "attributes": {"structure_type": "smart_pole", "height_m": r.choice([8, 10, 12])},
                }
                self.add("tower", pole)
            if site.lines:
                room = self._terms("machine_room", r.choice([4, 6, 10]))
                room |= {
                    "external_id": f"DEMO-MR-{site.key[-8:]}",
                    "name": f"{site.name}站通信设备房",
                    "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                    "region_code": site.district,
                    "address": f"地铁{site.lines}号线 {site.name}站 站厅层（演示）",
                    "attributes": {"floor_area_m2": r.choice([40, 60, 80]), "cooling": "precision_ac"},
                }
                room["capacity"] |= {"power_kw": r.choice([10, 20, 30]), "power_guarantee": True}
                self.add("metro", room)

    def _power_sites(self) -> None:
        r = self.random
        for site in self.substations + self.plants:
            room = self._terms("machine_room", r.choice([2, 4, 6, 8]))
            room |= {
                "external_id": f"DEMO-MR-{site.key[-14:]}",
                "name": f"{site.name}通信机房",
                "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                "region_code": site.district,
                "attributes": {
                    "floor_area_m2": r.choice([20, 30, 50]),
                    "cooling": r.choice(["split_ac", "ventilation"]),
                },
            }
            room["capacity"] |= {"power_kw": r.choice([5, 10, 15]), "power_guarantee": r.random() < 0.5}
            self.add("power", room)
            if site in self.plants:
                continue
            pole = self._terms("pole", r.choice([2, 4]))
            pole |= {
                "external_id": f"DEMO-POLE-{site.key[-14:]}",
                "name": f"{site.name}出线电杆",
                "geometry": self._point(site, r.uniform(60, 200)),
                "region_code": site.district,
                "attributes": {
                    "structure_type": r.choice(["concrete", "steel"]),
                    "height_m": r.choice([12, 15, 18]),
                },
            }
            self.add("power", pole)

    def _nearest_district(self, lon: float, lat: float) -> str:
        nearest = min(self.stations, key=lambda s: (s.lon - lon) ** 2 + (s.lat - lat) ** 2)
        return nearest.district

    def _along_lines(self) -> None:
        r = self.random
        for part_number, (line, coordinates) in enumerate(_lines()):
            for start in range(0, len(coordinates) - 1, SEGMENT_VERTICES):
                route = coordinates[start : start + SEGMENT_VERTICES + 1]
                if len(route) < 2 or all(vertex == route[0] for vertex in route):
                    continue
                middle = route[len(route) // 2]
                district = self._nearest_district(middle[0], middle[1])
                key = f"L{line}-{part_number}-{start:04d}"
                duct = self._terms("duct", r.choice([4, 6, 9, 12]))
                duct |= {
                    "external_id": f"DEMO-DUCT-{key}",
                    "name": f"地铁{line}号线沿线管道 {start // SEGMENT_VERTICES + 1} 段",
                    "geometry": {"type": "LineString", "coordinates": route},
                    "region_code": district,
                    "attributes": {"diameter_mm": r.choice([90, 110, 125]), "material": "hdpe", "bores": 6},
                }
                self.add("metro", duct)
                owner = TELECOMS[(part_number + start) % 3]
                cable = self._terms("cable", r.choice([48, 96, 144, 288]))
                cable |= {
                    "external_id": f"DEMO-CBL-{key}",
                    "name": f"地铁{line}号线 {cable['capacity']['total']} 芯光缆 {start // SEGMENT_VERTICES + 1} 段",
                    "geometry": {"type": "LineString", "coordinates": route},
                    "region_code": district,
                    "attributes": {
                        "fibre_type": r.choice(["G.652D", "G.655"]),
                        "length_km": round(r.uniform(1, 4), 1),
                        "laying": "tunnel",
                    },
                }
                self.add(owner, cable)

    def _planned_line(self) -> None:
        """A planned line through real stations west of 福田 that no 2016 line serves."""
        r = self.random
        candidates = [
            s for s in self.stations if not s.lines and s.district in ("440305", "440306") and s.name
        ]
        candidates.sort(key=lambda s: (s.lat, s.lon))
        chain = candidates[:: max(1, len(candidates) // 14)][:14]
        for number, (here, there) in enumerate(itertools.pairwise(chain), start=1):
            space = self._terms("reserved_space", r.choice([4, 6, 8]))
            space |= {
                "external_id": f"DEMO-RS-PLAN-{number:02d}",
                "name": f"规划地铁线（演示） {here.name}—{there.name} 区间通信预留",
                "status": "planned",
                "ready_date": (date(2028, 6, 30) + timedelta(days=30 * number)).isoformat(),
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[here.lon, here.lat], [there.lon, there.lat]],
                },
                "region_code": here.district,
                "attributes": {
                    "host_structure": "subway_line",
                    "host_name": "规划地铁线（演示）",
                    "section": f"{here.name}—{there.name}",
                },
            }
            space["capacity"] = {"total": space["capacity"]["total"], "free": space["capacity"]["total"]}
            space["capacity"] |= {"power_kw": r.choice([20, 30, 50]), "power_guarantee": True}
            self.add("metro", space)
        for number, station in enumerate(chain, start=1):
            space = self._terms("reserved_space", 4)
            space |= {
                "external_id": f"DEMO-RS-PLAN-ST-{number:02d}",
                "name": f"规划地铁线（演示） {station.name}站 通信机房预留",
                "status": "planned",
                "ready_date": date(2028, 12, 31).isoformat(),
                "geometry": {"type": "Point", "coordinates": [station.lon, station.lat]},
                "region_code": station.district,
                "attributes": {
                    "host_structure": "subway_line",
                    "host_name": "规划地铁线（演示）",
                    "section": station.name,
                },
            }
            space["capacity"] = {"total": 4, "free": 4, "power_kw": 40, "power_guarantee": True}
            self.add("metro", space)


async def seed_demo_assets(db: AsyncSession, owners: dict[str, tuple[uuid.UUID, Actor]]) -> Outcome:
    """Validates and upserts the demo assets; returns how many were created, updated, unchanged."""
    bodies = DemoAssets().build()
    all_bodies = [body for owner in bodies.values() for body in owner]
    regions = await region_points(db, {body["region_code"] for body in all_bodies})
    total = Outcome()
    for slug, owner_bodies in bodies.items():
        contents = []
        for body in owner_bodies:
            data = AssetCreate.model_validate(body)
            errors = check_rules(data, regions)
            if errors:
                raise ValueError(f"demo asset {body['external_id']} is invalid: {errors}")
            contents.append(content_of(data))
        organisation_id, actor = owners[slug]
        outcome = await upsert_assets(db, actor, organisation_id, contents, "demo seed")
        total.created += outcome.created
        total.updated += outcome.updated
        total.unchanged += outcome.unchanged
    return total
