# DeclarativeBase subclasses, declarative_base() and SQLAlchemy(model_class=...) each own
# their MetaData: the same table name in two of them is two tables.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Session, declarative_base, relationship

class Base(DeclarativeBase):
    pass

class Author(Base):
    __tablename__ = 'author'
    id = Column(Integer, primary_key=True)
    books = relationship('Book', backref='author')

class Book(Base):
    __tablename__ = 'book'
    id = Column(Integer, primary_key=True)
    author_id = Column(ForeignKey('author.id'))

Other = declarative_base()

class Author2(Other):
    __tablename__ = 'author'
    id = Column(Integer, primary_key=True)
    name = Column(String)

Base.metadata is Other.metadata, Author.metadata is Base.metadata, Author2.__table__.metadata is Other.metadata
Base.registry is Other.registry, Base.registry.metadata is Base.metadata
sorted(Base.metadata.tables), sorted(Other.metadata.tables), [t.name for t in Base.metadata.sorted_tables]
first = create_engine('sqlite://')
second = create_engine('sqlite://')
Base.metadata.create_all(first)
Other.metadata.create_all(second)
with Session(first) as session:
    session.add(Author(books=[Book(), Book()]))
    session.commit()
    books = len(session.scalars(select(Author)).one().books)

with Session(second) as session:
    session.add(Author2(name='z'))
    session.commit()
    names = session.scalars(select(Author2.name)).all()

books, names

metadata = MetaData()
tags = Table('tags', metadata, Column('id', Integer, primary_key=True))
tags.metadata is metadata, list(metadata.tables), 'tags' in Base.metadata.tables
Table('tags', metadata, Column('id', Integer, primary_key=True))

class Model(DeclarativeBase):
    pass

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app, model_class=Model)

class Author3(db.Model):
    __tablename__ = 'author'
    id = Column(Integer, primary_key=True)

db.metadata is Model.metadata, db.Model.metadata is Model.metadata, Author3.metadata is Model.metadata
db.create_all()
db.session.add(Author3())
db.session.commit()
db.session.scalars(select(Author3.id)).all(), sorted(db.metadata.tables)

class Duplicate(Base):
    __tablename__ = 'book'
    id = Column(Integer, primary_key=True)
