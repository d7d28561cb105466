"""The figures' downloads: named by region and period, Chinese headers only (issue 19)."""
import csv
import io
from urllib.parse import unquote

from openpyxl import load_workbook

from matchmaker.labels import IMPACT_FIGURE
from tests.conftest import VILLAGE

COUNTY = "360302000000"  # 安源区


def saved_name(response) -> str:
    """The name a browser saves: the RFC 5987 filename* of Content-Disposition."""
    header = response.headers["Content-Disposition"]
    assert header.startswith("attachment; filename=\"") and header.isascii()
    encoded = header.split("filename*=", 1)[1]
    assert encoded.startswith("UTF-8''")
    return unquote(encoded[len("UTF-8''"):])


def test_downloads_are_named_by_region_and_period(client):
    query = f"region={COUNTY}&from=2019-01-01&to=2019-12-31"
    xlsx = client.get(f"/api/v1/impact.xlsx?{query}")
    assert saved_name(xlsx) == "安源区_2019-01-01_2019-12-31_帮扶成效.xlsx"
    assert 'filename="impact_360302000000_2019-01-01_2019-12-31.xlsx"' in xlsx.headers[
        "Content-Disposition"]
    assert saved_name(client.get(f"/api/v1/impact.csv?{query}")) == \
        "安源区_2019-01-01_2019-12-31_帮扶成效.csv"
    assert saved_name(client.get("/api/v1/impact.csv")) == "全部地区_全部时间_帮扶成效.csv"
    assert saved_name(client.get(f"/api/v1/impact.csv?region={VILLAGE}&from=2026-01-01")) == \
        "五陂村_2026-01-01_至今_帮扶成效.csv"


def test_downloads_carry_chinese_headers_only(client):
    query = f"region={COUNTY}&by=month&metric=volunteer_hours"
    text = client.get(f"/api/v1/impact.csv?{query}").get_data(as_text=True)
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if row]
    book = load_workbook(io.BytesIO(client.get(f"/api/v1/impact.xlsx?{query}").data))
    sheet = [[cell for cell in row if cell is not None]
             for row in book.active.iter_rows(values_only=True)]
    for table in (rows, [[str(cell) for cell in row] for row in sheet if row]):
        labels = [row[0] for row in table]
        assert IMPACT_FIGURE["volunteer_hours"] in labels and "分组:月份" in labels
        assert not any(cell.isascii() and cell.replace("_", "").isalpha()
                       for row in table for cell in row), table  # no code like volunteer_hours
    assert ["分组:月份", IMPACT_FIGURE["volunteer_hours"]] in rows
