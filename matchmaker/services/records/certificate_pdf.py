"""The 志愿服务记录证明 as an A4 PDF, laid out from the same dict as the printable page.

Chinese is set in reportlab's built-in CID font STSong-Light: its metrics ship inside reportlab,
so no font file is read or fetched, and the PDF names the font for the reader to supply (every
Chinese-capable reader substitutes its own Song face) instead of embedding a subset.
"""
from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from matchmaker.services.records.certificates import day_text

FONT = "STSong-Light"
MARGIN = 20 * mm
WIDTH = A4[0] - 2 * MARGIN


def _font() -> str:
    # registered on first use, not at import
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _style(size: float, **extra) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}", fontName=_font(), fontSize=size, leading=size * 1.6,
                          wordWrap="CJK", **extra)


def _hours(value: float) -> str:
    return "%g" % value


def _identity(shown: dict) -> Table:
    rows = [(_("姓名"), shown["name"]), (_("身份证号"), shown["id_number"] or _("未登记")),
            (_("所在队伍"), shown["team"]),
            (_("服务期间"), f"{day_text(shown['date_from'])} — {day_text(shown['date_to'])}"),
            (_("经核实的服务时长"), _("%(hours)s 小时", hours=_hours(shown["hours"])))]
    cell = _style(10.5)
    table = Table([[Paragraph(escape(k), cell), Paragraph(escape(v), cell)] for k, v in rows],
                  colWidths=[38 * mm, WIDTH - 38 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _services(shown: dict) -> Table:
    cell = _style(10)
    head = [Paragraph(escape(t), cell) for t in
            (_("日期"), _("服务内容"), _("类别"), _("时长(小时)"))]
    body = [[Paragraph(line["date"].isoformat(), cell),
             Paragraph(escape(line["title"]) + (_("(补录)") if line["correction"] else ""), cell),
             Paragraph(escape(line["category"]), cell), Paragraph(_hours(line["hours"]), cell)]
            for line in shown["services"]]
    if not body:
        body = [[Paragraph(escape(_("这一期间没有经核实的服务记录")), cell), "", "", ""]]
    table = Table([head, *body], colWidths=[28 * mm, WIDTH - 86 * mm, 34 * mm, 24 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                               *([("SPAN", (0, 1), (-1, 1))] if not shown["services"] else [])]))
    return table


def _issuer(shown: dict) -> list:
    right = _style(11, alignment=TA_RIGHT)
    lines = [_("出具单位(盖章):%(org)s", org=shown["organization"])]
    if shown["contact"]:
        lines.append(_("联系电话:%(phone)s", phone=shown["contact"]))
    lines.append(_("出具日期:%(day)s", day=day_text(shown["issued"])))
    return [Paragraph(escape(line), right) for line in lines]


def render(shown: dict) -> bytes:
    """The PDF of a certificate dict from certificates.certificate()."""
    buffer = BytesIO()
    title = _("志愿服务记录证明")
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=title,
                            author=shown["organization"], subject=shown["number"])
    note = _("本证明依据《志愿服务记录与证明出具办法(试行)》出具,只计入经核实的服务记录。"
             "真伪可在 %(url)s 输入证明编号查验。", url=shown["check_url"])
    story = [Paragraph(escape(title), _style(22, alignment=TA_CENTER, spaceAfter=4 * mm)),
             Paragraph(escape(_("证明编号:%(number)s", number=shown["number"])),
                       _style(9.5, alignment=TA_CENTER, textColor=colors.dimgrey)),
             Spacer(0, 6 * mm), Paragraph(escape(shown["statement"]), _style(12, firstLineIndent=24)),
             Spacer(0, 4 * mm), _identity(shown), Spacer(0, 6 * mm), _services(shown),
             Spacer(0, 14 * mm),  # the issuer signs below the last line, never alone on a page
             KeepTogether([*_issuer(shown), Spacer(0, 10 * mm),
                           Paragraph(escape(note), _style(9, textColor=colors.dimgrey))])]

    def footer(canvas, _doc):
        canvas.setFont(_font(), 8)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, _("证明编号 %(number)s · 第 %(page)d 页",
                                                      number=shown["number"], page=_doc.page))

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
