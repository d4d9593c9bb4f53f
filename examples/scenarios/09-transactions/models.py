# A transfer between two wallets: all of it happens, or none of it.
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///transactions.db"
db = SQLAlchemy(app)


class Wallet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String(20), unique=True, nullable=False)
    coins = db.Column(db.Integer, nullable=False)


def transfer(source, target, amount):
    """Moves coins in one transaction; any error undoes both changes."""
    try:
        payer = Wallet.query.filter_by(owner=source).one()
        payee = Wallet.query.filter_by(owner=target).one()
        if payer.coins < amount:
            raise ValueError(f"{source} has only {payer.coins} coins")
        payer.coins -= amount
        payee.coins += amount
        db.session.commit()
        print(f"moved {amount} coins from {source} to {target}")
    except Exception as error:
        db.session.rollback()
        print(f"rolled back: {type(error).__name__}: {error}")
