#!/usr/bin/env python3
# Writes cn-ccb-style.xlsx: a hand-made CCB-style 交易明细 workbook (no public sample
# was found). It exercises what Excel writes: shared strings, an inline string, a date
# stored as a serial number, an amount stored as text, a time cell, a totals row.
# Run from this folder; the output is deterministic (fixed timestamps).
import zipfile

shared = ["账号", "6217000010012345678", "户名", "深圳市某某科技有限公司", "起始日期", "截止日期",
          "交易日期", "交易时间", "交易金额", "借贷方向", "账户余额", "对方户名", "对方账号", "摘要", "交易流水号",
          "贷", "借", "银联商务股份有限公司", "6226090000001234", "POS结算", "1,000.00", "合计"]
S = {s: i for i, s in enumerate(shared)}

def s(ref, text): return f'<c r="{ref}" t="s"><v>{S[text]}</v></c>'
def n(ref, v): return f'<c r="{ref}"><v>{v}</v></c>'
def inline(ref, text): return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

# Excel serial days: 46328 = 2026-11-02, 46329 = 2026-11-03.
rows = [
    (1, [s("A1", "账号"), s("B1", "6217000010012345678"), s("C1", "户名"), s("D1", "深圳市某某科技有限公司")]),
    (2, [s("A2", "起始日期"), inline("B2", "20261101"), s("C2", "截止日期"), inline("D2", "20261130")]),
    (4, [s(f"{c}4", h) for c, h in zip("ABCDEFGHI", ["交易日期", "交易时间", "交易金额", "借贷方向", "账户余额", "对方户名", "对方账号", "摘要", "交易流水号"])]),
    (5, [n("A5", 46328), inline("B5", "10:00:00"), s("C5", "1,000.00"), s("D5", "贷"), n("E5", "3500.5"),
         s("F5", "银联商务股份有限公司"), s("G5", "6226090000001234"), s("H5", "POS结算"), inline("I5", "CCB001")]),
    (6, [n("A6", 46329), inline("B6", "11:30:00"), n("C6", "20.25"), s("D6", "借"), n("E6", "3480.25"),
         inline("H6", "短信服务费"), inline("I6", "CCB002")]),
    (7, [s("A7", "合计"), n("C7", "1020.25")]),
]
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         + "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in rows)
         + '</sheetData></worksheet>')
sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(shared)}" uniqueCount="{len(shared)}">'
       + "".join(f"<si><t>{t}</t></si>" for t in shared) + "</sst>")
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="交易明细" sheetId="1"/></sheets></workbook>',
    "xl/sharedStrings.xml": sst,
    "xl/worksheets/sheet1.xml": sheet,
}
with zipfile.ZipFile("cn-ccb-style.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("utf-8"))
