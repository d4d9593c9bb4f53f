db.session.add_all([Recipe(name="omelette", minutes=10), Recipe(name="risotto", minutes=40), Recipe(name="salad", minutes=15)])
db.session.commit()

# The custom methods chain with the usual ones.
Recipe.query.quick().order_by(Recipe.minutes).all()
Recipe.query.quick(minutes=12).count()
Recipe.query.named("risotto")

type(Recipe.query).__name__
