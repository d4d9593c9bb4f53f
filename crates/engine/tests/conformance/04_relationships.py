# One-to-many with backref, one-to-one, many-to-many through an association table.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)

tags_on_recipes = db.Table('tags_on_recipes',
    db.Column('recipe_id', db.Integer, db.ForeignKey('recipe.id')),
    db.Column('tag_id', db.Integer, db.ForeignKey('tag.id'))
)

class Chef(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    recipes = db.relationship('Recipe', backref='chef')
    badge = db.relationship('Badge', uselist=False, back_populates='owner')

class Badge(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    chef_id = db.Column(db.Integer, db.ForeignKey('chef.id'), unique=True)
    owner = db.relationship('Chef', back_populates='badge')

class Recipe(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False)
    chef_id = db.Column(db.Integer, db.ForeignKey('chef.id'))
    tags = db.relationship('Tag', secondary=tags_on_recipes, backref='recipes')

class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    word = db.Column(db.String(20), unique=True)

db.create_all()
mia = Chef(name='Mia')
soup = Recipe(title='Soup')
mia.recipes.append(soup)
soup.chef is mia
pie = Recipe(title='Pie', chef=mia)
mia.recipes
hot = Tag(word='hot')
soup.tags.append(hot)
hot.recipes
mia.badge = Badge()
mia.badge.owner is mia
db.session.add(mia)
db.session.new
db.session.commit()
[(r.id, r.title, r.chef_id) for r in Recipe.query.order_by(Recipe.id)]
db.session.execute(tags_on_recipes.select()).all()
mia.recipes.remove(pie)
pie.chef
db.session.commit()
pie.chef_id
len(Chef.query.first().recipes)
Tag.query.first().recipes
