"""Demo applications, listed in README so anyone can try the status check."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from api.applications.models import Application, ApplicationEvent

D = dt.date

DEMO = [
    ("A-2026-000101", "児童手当 認定請求", D(1985, 6, 15), "子育て支援課 手当係", "012-345-6411",
     [(D(2026, 10, 20), "received", "窓口で受け付けました"), (D(2026, 10, 27), "reviewing", "")]),
    ("A-2026-000102", "保育施設 入所申込（2027年4月入所）", D(1990, 4, 1), "保育課 入所係", "012-345-6421",
     [(D(2026, 11, 2), "received", "電子申請で受け付けました")]),
    ("A-2026-000103", "介護保険 要介護認定申請", D(1948, 11, 3), "介護保険課 認定係", "012-345-7211",
     [(D(2026, 9, 1), "received", ""), (D(2026, 9, 10), "reviewing", "訪問調査を行いました"),
      (D(2026, 10, 5), "completed", "結果通知を郵送しました")]),
    ("A-2026-000104", "マイナンバーカード 交付申請", D(1975, 2, 28), "市民課 マイナンバーカード係", "012-345-6131",
     [(D(2026, 9, 15), "received", ""), (D(2026, 10, 30), "ready", "交付通知書（はがき）を発送しました")]),
    ("A-2026-000105", "住民票の写し 郵送請求", D(2001, 12, 24), "市民課 住民記録係", "012-345-6111",
     [(D(2026, 11, 10), "received", ""), (D(2026, 11, 12), "action_required", "本人確認書類の写しが同封されていません")]),
]


def seed_demo(session: Session) -> int:
    added = 0
    for number, procedure, birth, dept, phone, events in DEMO:
        if session.get(Application, number) is not None:
            continue
        app = Application(number=number, procedure=procedure, birth_date=birth, status=events[-1][1],
                          department=dept, phone=phone)
        app.history = [ApplicationEvent(on=on, status=status, note=note) for on, status, note in events]
        session.add(app)
        added += 1
    session.commit()
    return added
