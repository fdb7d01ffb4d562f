"""A small Flask-Admin-style schema: classic declarative models, a plain session."""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "user"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)
    email = Column(String(120), unique=True)
    active = Column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class Post(Base):
    __tablename__ = "post"
    id = Column(Integer, primary_key=True)
    title = Column(String(100), nullable=False)
    body = Column(Text)
    user_id = Column(ForeignKey("user.id"))
    user = relationship(User, backref="posts")
