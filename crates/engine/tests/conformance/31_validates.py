import re
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import validates
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)
hasattr(db, 'validates')
class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120))
    name = db.Column(db.String(50))
    nick = db.Column(db.String(50))
    posts = db.relationship('Post', backref='author')
    @validates('email')
    def validate_email(self, key, address):
        if not re.match(r'^[^@\s]+@[^@\s]+\.[A-Za-z]+$', address):
            raise ValueError(f'invalid email: {address!r}')
        return address.lower()
    @validates('name', 'nick')
    def strip(self, key, value):
        print('validating', key, repr(value))
        return value.strip()
    @validates('posts', include_removes=True)
    def check_post(self, key, post, is_remove):
        print('posts', key, post.title, is_remove)
        return post
class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(50))
    user_id = db.Column(db.ForeignKey('user.id'))
    @validates('author', include_backrefs=False)
    def check_author(self, key, user):
        print('author set', user.email)
        return user
db.create_all()
u = User(email='Ann@Example.COM', name='  ann ')
u.email
u.name
u.nick = ' a '
u.nick
u.email = 'not an email'
try:
    u.email = 'bad'
except ValueError as e:
    print('caught', e)
u.email
User(email='x')
p = Post(title='hello')
u.posts.append(p)
p.author
p2 = Post(title='two')
p2.author = u
u.posts.remove(p)
db.session.add(u)
db.session.commit()
User.query.first().email
