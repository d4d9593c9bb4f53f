# Pagination and 404 helpers of Flask-SQLAlchemy.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Photo(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    caption = db.Column(db.String(40))

db.create_all()
db.session.add_all([Photo(caption=f'pic {i}') for i in range(1, 24)])
db.session.commit()
with app.test_request_context():
    page = db.paginate(db.select(Photo).order_by(Photo.id), page=2, per_page=10)
    print(page.page, page.pages, page.total, page.has_next, page.has_prev, page.prev_num, page.next_num)
    print([p.id for p in page.items])
    print(list(page.iter_pages()))

with app.test_request_context():
    legacy = Photo.query.paginate(page=3, per_page=10)
    print(legacy.items, legacy.has_next)

db.get_or_404(Photo, 5).caption
db.get_or_404(Photo, 99)
db.first_or_404(db.select(Photo).filter_by(caption='pic 7')).id
