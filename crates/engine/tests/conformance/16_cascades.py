# Cascades: delete and delete-orphan along a relationship, and the default (nulling keys).
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Playlist(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(40))
    songs = db.relationship('Song', backref='playlist', cascade='all, delete-orphan', order_by='Song.id')

class Song(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))
    playlist_id = db.Column(db.Integer, db.ForeignKey('playlist.id'))

class Folder(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    files = db.relationship('File', backref='folder')

class File(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    folder_id = db.Column(db.Integer, db.ForeignKey('folder.id'))

db.create_all()
mix = Playlist(title='mix', songs=[Song(name='a'), Song(name='b'), Song(name='c')])
db.session.add(mix)
db.session.commit()
mix.songs.remove(mix.songs[1])
db.session.commit()
[s.name for s in Song.query.order_by(Song.id)]
db.session.delete(mix)
db.session.commit()
Song.query.count(), Playlist.query.count()
f = Folder(files=[File(), File()])
db.session.add(f)
db.session.commit()
db.session.delete(f)
db.session.commit()
[(x.id, x.folder_id) for x in File.query.order_by(File.id)]
