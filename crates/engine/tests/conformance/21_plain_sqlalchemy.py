# Plain SQLAlchemy 2.0 without Flask: an engine, a declarative base, a Session.
from sqlalchemy import create_engine, select, String, ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session

class Base(DeclarativeBase):
    pass

class Shop(Base):
    __tablename__ = 'shops'
    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(40))
    staff: Mapped[list["Clerk"]] = relationship(back_populates='shop')

    def __repr__(self):
        return f'Shop({self.city!r})'

class Clerk(Base):
    __tablename__ = 'clerks'
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    shop_id: Mapped[int] = mapped_column(ForeignKey('shops.id'))
    shop: Mapped[Shop] = relationship(back_populates='staff')

engine = create_engine('sqlite://')
Base.metadata.create_all(engine)
with Session(engine) as session:
    session.add(Shop(city='Lima', staff=[Clerk(name='Rosa'), Clerk(name='Tito')]))
    session.commit()
    print(session.scalars(select(Clerk.name).order_by(Clerk.name)).all())
    print(session.execute(select(Shop).where(Shop.city == 'Lima')).scalar_one())

session = Session(engine)
session.get(Clerk, 2).shop
Clerk(nickname='x')
