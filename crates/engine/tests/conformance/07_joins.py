# Joins: via relationship, explicit ON clause, outerjoin, querying two entities.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

class Band(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))
    albums = db.relationship('Album', backref='band')

class Album(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(60))
    year = db.Column(db.Integer)
    band_id = db.Column(db.Integer, db.ForeignKey('band.id'))

db.create_all()
a = Band(name='Azure')
b = Band(name='Basalt')
c = Band(name='Cobalt')
db.session.add_all([a, b, c])
db.session.add_all([Album(title='Tide', year=2001, band=a), Album(title='Drift', year=2004, band=a), Album(title='Stone', year=1999, band=b)])
db.session.commit()
Band.query.join(Album).filter(Album.year > 2000).all()
Band.query.join(Band.albums).filter(Album.year > 2000).distinct().all()
db.session.query(Band.name, Album.title).join(Album, Band.id == Album.band_id).order_by(Album.year).all()
db.session.query(Band.name, func.count(Album.id)).outerjoin(Album).group_by(Band.id).order_by(Band.name).all()
db.session.query(Band, Album).join(Album).filter(Album.title == 'Stone').all()
db.session.execute(db.select(Album.title).join(Album.band).where(Band.name == 'Azure').order_by(Album.title)).scalars().all()
Album.query.join(Band).filter(Band.name.like('%o%')).count()
