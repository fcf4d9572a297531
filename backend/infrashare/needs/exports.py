"""The needs list as CSV and XLSX for a regulator's report: the filters applied, a generated-at line.

Both files start with the same preamble (title, generated at, filters, row count), a blank row,
then a header row and one row per need. Text cells that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from infrashare.needs.queries import NeedFilters
from infrashare.needs.service import NeedView

TITLE = "InfraShare 共建共享需求清单 / Co-construction and sharing needs"
COLUMNS = [
    ("id", "ID"),
    ("title", "需求名称 Title"),
    ("status", "状态 Status"),
    ("purpose", "用途 Purpose"),
    ("mode", "方式 Mode"),
    ("wanted_kinds", "需求设施 Wanted kinds"),
    ("organisation", "需求单位 Requesting organisation"),
    ("industry", "行业 Industry"),
    ("region_code", "区划代码 Region code"),
    ("region_name", "区划 Region"),
    ("lon", "经度 Lon"),
    ("lat", "纬度 Lat"),
    ("radius_m", "半径(m) Radius"),
    ("corridor_m", "走廊(m) Corridor"),
    ("quantity", "数量 Quantity"),
    ("needed_by", "需求日期 Needed by"),
    ("submitted_at", "提交时间 Submitted at"),
    ("published_at", "发布时间 Published at"),
    ("contact_name", "联系人 Contact"),
    ("contact_phone", "电话 Phone"),
    ("description", "说明 Description"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these control characters; openpyxl refuses them.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str):
        value = ILLEGAL_XML.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _time(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def row_of(view: NeedView) -> list[Any]:
    need = view.need
    values: dict[str, Any] = {
        "id": str(need.id),
        "title": need.title,
        "status": need.status.value,
        "purpose": need.purpose.value,
        "mode": need.mode.value,
        "wanted_kinds": ",".join(kind.value for kind in need.wanted_kinds),
        "organisation": view.organisation.name,
        "industry": view.organisation.industry.value,
        "region_code": need.region_code,
        "region_name": view.region_name,
        "lon": round(need.lon, 6),
        "lat": round(need.lat, 6),
        "radius_m": need.radius_m if need.radius_m is not None else "",
        "corridor_m": need.corridor_m if need.corridor_m is not None else "",
        "quantity": need.quantity,
        "needed_by": need.needed_by.isoformat(),
        "submitted_at": _time(need.submitted_at),
        "published_at": _time(need.published_at),
        "contact_name": need.contact_name,
        "contact_phone": need.contact_phone,
        "description": need.description,
    }
    return [neutralise(values[key]) for key, _ in COLUMNS]


def preamble(filters: NeedFilters, generated_at: datetime, count: int) -> list[list[str]]:
    return [
        [TITLE],
        ["Generated at", generated_at.isoformat(timespec="seconds")],
        ["Filters", neutralise(filters.describe())],
        ["Rows", str(count)],
        [],
    ]


def to_csv(views: list[NeedView], filters: NeedFilters, generated_at: datetime) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(preamble(filters, generated_at, len(views)))
    writer.writerow([label for _, label in COLUMNS])
    writer.writerows(row_of(view) for view in views)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(views: list[NeedView], filters: NeedFilters, generated_at: datetime) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Needs"
    for line in preamble(filters, generated_at, len(views)):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([label for _, label in COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for view in views:
        sheet.append(row_of(view))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, (key, _) in enumerate(COLUMNS, start=1):
        width = {"id": 38, "title": 40, "description": 60, "organisation": 30}.get(key, 16)
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
