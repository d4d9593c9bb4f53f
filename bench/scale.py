# The engine at scale: 100,000 rows through the ORM, timed by the script itself
# (time.perf_counter(); in the browser that is performance.now()). The bench runs
# it natively (sqla-run) and in the page's console; each step is one console
# command's worth of work except the inserts.
import time
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

ROWS = 100000

class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120), unique=True, nullable=False)
    score = db.Column(db.Integer)
    visits = db.relationship('Visit', backref='member')

class Visit(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    minutes = db.Column(db.Integer)
    member_id = db.Column(db.Integer, db.ForeignKey('member.id'))

def measure():
    t = {}
    t0 = time.perf_counter()
    for i in range(ROWS):
        db.session.add(Member(email=f"m{i}@example.org", score=(i * 7919) % 1000))
    db.session.commit()
    t['insert_100k_members'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    found = Member.query.filter_by(email=f"m{ROWS * 3 // 4}@example.org").first()
    t['filter_by_unique'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    top = Member.query.order_by(Member.score.desc(), Member.id).limit(10).all()
    t['order_by_limit_10'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i in range(ROWS):
        db.session.add(Visit(minutes=i % 60, member_id=(i * 31) % 1000 + 1))
    db.session.commit()
    t['insert_100k_visits'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    busiest = (
        db.session.query(Member.email, db.func.count(Visit.id), db.func.sum(Visit.minutes))
        .join(Visit)
        .group_by(Member.id)
        .order_by(db.func.count(Visit.id).desc(), Member.id)
        .limit(3)
        .all()
    )
    t['join_group_by_count'] = time.perf_counter() - t0
    return t, found, top, busiest

with app.app_context():
    db.create_all()
    T0 = time.perf_counter()
    t, found, top, busiest = measure()
    t['total'] = time.perf_counter() - T0
    print(found.id, [m.score for m in top][:3], busiest[0])
    for k, v in t.items():
        print(f"{k} {v*1000:.1f} ms")
