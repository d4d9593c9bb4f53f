# Expression details: Boolean criteria, affix matches, declaration order, batching with defaults.
from typing import Optional
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy import String, or_, and_, not_

class Base(DeclarativeBase):
    pass

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
app.config['SQLALCHEMY_ECHO'] = True
db = SQLAlchemy(app, model_class=Base)

class Chore(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    room = db.Column(db.String(20), default='kitchen')
    note: Mapped[Optional[str]]
    minutes = mapped_column(db.Integer, default=10)
    done: Mapped[bool] = mapped_column(default=False)

db.create_all()
db.session.add_all([
    Chore(title='dishes', done=True),
    Chore(title='dust shelves', room='hall', minutes=5),
    Chore(title='mop', room='hall'),
    Chore(title='water plants', note='twice', minutes=3),
])
db.session.commit()
[c.title for c in Chore.query.filter(Chore.done)]
[c.title for c in Chore.query.filter(~Chore.done).order_by(Chore.title)]
Chore.query.filter(Chore.done == False).count()
Chore.query.filter(Chore.done != True, Chore.room == 'hall').count()
[c.title for c in Chore.query.filter(Chore.title.startswith('d'))]
[c.title for c in Chore.query.filter(or_(Chore.title.endswith('s'), Chore.minutes < 4))]
[c.title for c in Chore.query.filter(not_(Chore.title.contains('o')))]
[c.title for c in Chore.query.filter(Chore.title.istartswith('MO') & Chore.done.is_(None) | Chore.done)]
db.session.scalars(db.select(Chore.title).where(and_(Chore.done, Chore.room == 'kitchen'))).all()
Chore.query.filter(Chore.minutes > None).all()
chore = db.session.get(Chore, 3)
db.session.refresh(chore)
chore.minutes
