# The annotated declarative style: Mapped[...] and mapped_column() with a DeclarativeBase.
from typing import List, Optional
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app, model_class=Base)

class Writer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    pen_name: Mapped[str] = mapped_column(String(50), unique=True)
    bio: Mapped[Optional[str]]
    essays: Mapped[List["Essay"]] = relationship(back_populates="writer")

class Essay(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    writer_id: Mapped[int] = mapped_column(ForeignKey("writer.id"))
    writer: Mapped["Writer"] = relationship(back_populates="essays")

db.create_all()
w = Writer(pen_name='Quill')
w.essays.append(Essay(title='On Tea'))
db.session.add(w)
db.session.commit()
db.session.scalars(db.select(Essay)).one().writer.pen_name
db.session.add(Writer(pen_name=None))
db.session.commit()
