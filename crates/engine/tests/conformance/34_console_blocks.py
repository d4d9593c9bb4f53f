# The console echoes expression values inside if/for/while/try/with blocks too, as
# `flask shell` does; never inside function or class bodies.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(30), nullable=False)

db.create_all()
db.session.add_all([User(name='ada'), User(name='bob'), User(name='cy')])
db.session.commit()
for user in User.query.order_by(User.id):
    user
    print('name:', user.name)
    user.name.upper()
    None
_
for user in db.session.scalars(db.select(User).where(User.id > 1)): user.id
if User.query.count() > 2:
    User.query.first()
else:
    'few'
n = 0
while n < 2:
    n += 1
    db.session.get(User, n)
else:
    'done'
try:
    db.session.add(User(name=None))
    db.session.commit()
except Exception as e:
    type(e).__name__
    db.session.rollback()
finally:
    User.query.count()
with db.session.no_autoflush:
    db.session.get(User, 3)
def names():
    [u.name for u in User.query]
    return 'returned'

names()
class Listing:
    User.query.all()

[u for u in User.query.all() if u.id < 3]
