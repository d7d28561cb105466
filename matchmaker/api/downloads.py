"""Downloads named by what they hold: region, organization and period, then the title
(安源区_2019-01-01_2019-12-31_帮扶成效.xlsx), sent with an ASCII filename and an RFC 5987
filename* so every browser saves the Chinese name."""
from __future__ import annotations

import re
from urllib.parse import quote

#: characters no file system or browser keeps in a file name
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
BREAKDOWN_BY = {"region": "地区", "month": "月份", "organization": "组织", "category": "活动类别"}


def period_text(scope) -> str:
    start = scope.date_from.isoformat() if scope.date_from else None
    end = scope.date_to.isoformat() if scope.date_to else None
    if start and end:
        return f"{start}_{end}"
    if start:
        return f"{start}_至今"
    return f"截至{end}" if end else "全部时间"


def download_name(scope, title: str, extension: str) -> str:
    """安源区_2019-01-01_2019-12-31_帮扶成效.xlsx (the organization's name after the region)."""
    described = scope.describe()
    parts = (described["region_name"], described["organization_name"], period_text(scope), title)
    return "_".join(UNSAFE.sub("_", part).strip("._") for part in parts if part) + "." + extension


def ascii_name(scope, title: str, extension: str) -> str:
    """The fallback for clients that ignore filename*: codes and dates only."""
    parts = (title, scope.region.code if scope.region else "all",
             f"org{scope.organization_id}" if scope.organization_id else None,
             scope.date_from.isoformat() if scope.date_from else None,
             scope.date_to.isoformat() if scope.date_to else None)
    return "_".join(part for part in parts if part) + "." + extension


def attachment(scope, title: str, ascii_title: str, extension: str) -> dict[str, str]:
    """The Content-Disposition header of a download of the scope."""
    name, fallback = download_name(scope, title, extension), ascii_name(scope, ascii_title,
                                                                        extension)
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; "
                                   f"filename*=UTF-8''{quote(name, safe='')}"}
