# A query class with methods of its own: Model.query gets them.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.query import Query

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///custom_query.db"
db = SQLAlchemy(app)


class RecipeQuery(Query):
    def quick(self, minutes=20):
        return self.filter(Recipe.minutes <= minutes)

    def named(self, name):
        return self.filter_by(name=name).first()


class Recipe(db.Model):
    query_class = RecipeQuery
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    minutes = db.Column(db.Integer, nullable=False)

    def __repr__(self):
        return f"<Recipe {self.name}>"
