db.session.add_all([
    Reading(station="harbour", celsius=11.5, rain_mm=3),
    Reading(station="harbour", celsius=13.0, rain_mm=0),
    Reading(station="hilltop", celsius=7.5, rain_mm=9),
    Reading(station="hilltop", celsius=6.0, rain_mm=12),
    Reading(station="hilltop", celsius=8.5),
])
db.session.commit()

# count() wraps the query in a subquery.
Reading.query.count()

# func.* builds SQL functions; scalar() returns the single value.
db.session.query(func.avg(Reading.celsius)).scalar()
db.session.query(func.min(Reading.celsius), func.max(Reading.celsius), func.sum(Reading.rain_mm)).one()

# group_by gives one row per station; label() names the computed columns.
rows = db.session.query(Reading.station, func.count(Reading.id).label("n"), func.sum(Reading.rain_mm).label("rain")).group_by(Reading.station).order_by(Reading.station).all()
for row in rows:
    print(row.station, row.n, row.rain)

# having filters the groups.
db.session.execute(db.select(Reading.station).group_by(Reading.station).having(func.avg(Reading.celsius) > 10)).scalars().all()
