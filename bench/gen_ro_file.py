#!/usr/bin/env python3
"""Writes a flattened repair-order export (one line item per row) as a Chinese DMS would: GB18030,
Chinese headers, CRLF, dates as 2024年03月05日, amounts as "¥1,299.00". Same seed, same file.

Usage: gen_ro_file.py ROWS OUT
"""
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
random.seed(20261125)
types = ["首保", "二保", "定保", "常规保养", "一般维修", "保修", "事故", "钣喷", "美容", "保险理赔"]
advisors = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊"]
items = [("工时", "GS01", "保养工时"), ("配件", "P1001", "机油"), ("配件", "P1002", "机油滤清器"),
         ("配件", "P2001", "空气滤清器"), ("工时", "GS20", "四轮定位"), ("配件", "P3001", "刹车片")]
with open(out, "w", encoding="gb18030", newline="") as f:
    f.write("工单号,行号,开单日期,结算日期,进厂里程,工单类型,客户号,车架号,项目类型,项目编码,项目名称,数量,金额,服务顾问\r\n")
    written, order = 0, 0
    while written < rows:
        order += 1
        month, day = random.randint(1, 12), random.randint(1, 28)
        date = f"2024年{month:02d}月{day:02d}日"
        head = (f"RO{order:08d}", date, date, str(random.randint(1000, 200000)), random.choice(types),
                f"KH{random.randint(1, 300000):06d}", f"LSVAU2187N{random.randint(0, 9999999):07d}",
                random.choice(advisors))
        for line in range(1, random.randint(1, 6) + 1):
            if written >= rows:
                break
            kind, code, name = random.choice(items)
            amount = random.randint(10, 5000)
            f.write(f"{head[0]},{line},{head[1]},{head[2]},{head[3]},{head[4]},{head[5]},{head[6]},{kind},{code},"
                    f"{name},1,\"¥{amount:,}.00\",{head[7]}\r\n")
            written += 1
