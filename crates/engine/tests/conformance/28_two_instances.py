# Each SQLAlchemy() has its own MetaData, registry and engine: the same models declared twice
# (a script run again) are new tables, and the first instance keeps working.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

instances = []
for round in range(2):
    app = Flask(__name__)
    app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
    db = SQLAlchemy(app)
    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        name = db.Column(db.String(80))
        posts = db.relationship('Post', backref='author')
    class Post(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        user_id = db.Column(db.ForeignKey('user.id'))
    tags = db.Table('tags', db.Column('post_id', db.ForeignKey('post.id')))
    with app.app_context():
        db.create_all()
        db.session.add(User(name=f'round {round}', posts=[Post()]))
        db.session.commit()
        print(round, User.query.count(), db.metadata is User.metadata)
    instances.append((app, db, User, Post))

(app1, db1, User1, Post1), (app2, db2, User2, Post2) = instances
db1.metadata is db2.metadata, db1.Model is db2.Model, db1.Model.registry is db2.Model.registry
db1.metadata is db1.Model.metadata, User1.__table__.metadata is db1.metadata, User1.registry is db1.Model.registry
db1.metadatas[None] is db1.metadata, list(db1.metadatas)
User1.__table__ is User2.__table__
sorted(db1.metadata.tables), [t.name for t in db2.metadata.sorted_tables]
with app1.app_context():
    db1.session.add(User1(name='more'))
    db1.session.commit()
    first = [u.name for u in User1.query.order_by(User1.id)], type(Post1.query.one().author) is User1

first

with app2.app_context():
    second = [u.name for u in db2.session.scalars(db2.select(User2))], db2.session.get(User2, 2)

second

with app2.app_context():
    db2.drop_all()
    db2.create_all()
    emptied = User2.query.count()

with app1.app_context():
    kept = User1.query.count()

emptied, kept

class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

class Person(db.Model):
    __tablename__ = 'person'
    id = db.Column(db.Integer, primary_key=True)

sorted(db.metadata.tables), sorted(db1.metadata.tables)
