for name in ["Low", "Yo La Tengo", "Stereolab", "Can", "Slint"]:
    db.session.add(Band(name=name, songs=[Song(title=f"{name} song {n}") for n in (1, 2)]))

db.session.commit()

# Lazy loading (the default): one SELECT for the bands, then one more per band: N+1 queries.
for band in Band.query.all():
    print(band.name, len(band.songs))

# Objects stay in the session: start over so every band is loaded again.
db.session.expunge_all()

# joinedload: one SELECT with a LEFT OUTER JOIN brings the songs along.
for band in Band.query.options(joinedload(Band.songs)).all():
    print(band.name, len(band.songs))

db.session.expunge_all()

# selectinload: two SELECTs, the second with WHERE band_id IN (...).
for band in Band.query.options(selectinload(Band.songs)).all():
    print(band.name, len(band.songs))
