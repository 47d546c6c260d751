"""Catalogue tables: occupations, their names, education routes and programmes."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import relationship

from bot.storage.base import Base

related_occupations = Table(
    "catalogue_related",
    Base.metadata,
    Column("occupation_id", ForeignKey("catalogue_occupations.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("catalogue_occupations.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Programme(Base):
    """An upper-secondary education programme (utdanningsprogram)."""

    __tablename__ = "catalogue_programmes"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), unique=True, nullable=False)
    title = Column(String(200), nullable=False)
    kind = Column(String(30), nullable=False)
    description = Column(Text, nullable=False)
    vg2 = Column(JSON, nullable=False, default=list)


class Occupation(Base):
    """One occupation as utdanning.no names it, with what a user needs to know about it."""

    __tablename__ = "catalogue_occupations"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), unique=True, nullable=False)
    title = Column(String(200), nullable=False)
    sector = Column(String(60), nullable=False)
    styrk08 = Column(String(4), nullable=False)
    description = Column(Text, nullable=False)
    tasks = Column(JSON, nullable=False)
    demands = Column(JSON, nullable=False)
    workplaces = Column(JSON, nullable=False)
    praksiskandidat = Column(Boolean, nullable=False)
    politiattest_level = Column(String(20), nullable=False)
    politiattest_basis = Column(Text, nullable=False)
    politiattest_note = Column(Text)
    attest = Column(JSON, nullable=False, default=list, server_default="[]")  # attest types the law asks for
    background_check = Column(Boolean, nullable=False, default=False, server_default=false())
    praksis_months = Column(Integer)  # practice a praksiskandidat needs, when not the usual 60 months
    sources = Column(JSON, nullable=False, default=list, server_default="[]")  # pages the facts were checked on
    riasec = Column(String(3), nullable=False)
    prospects = Column(Text, nullable=False)

    names = relationship("OccupationName", cascade="all, delete-orphan", back_populates="occupation")
    routes = relationship(
        "Route", cascade="all, delete-orphan", order_by="Route.position", back_populates="occupation"
    )
    related = relationship(
        "Occupation",
        secondary=related_occupations,
        primaryjoin=id == related_occupations.c.occupation_id,
        secondaryjoin=id == related_occupations.c.related_id,
        order_by=related_occupations.c.position,
    )


class OccupationName(Base):
    """A title or everyday name that points to an occupation."""

    __tablename__ = "catalogue_occupation_names"
    __table_args__ = (UniqueConstraint("name"),)

    id = Column(Integer, primary_key=True)
    occupation_id = Column(ForeignKey("catalogue_occupations.id", ondelete="CASCADE"), nullable=False)
    name = Column(String(200), nullable=False)
    kind = Column(String(10), nullable=False)  # title | synonym

    occupation = relationship("Occupation", back_populates="names")


class Route(Base):
    """One education route to an occupation, step by step."""

    __tablename__ = "catalogue_routes"

    id = Column(Integer, primary_key=True)
    occupation_id = Column(ForeignKey("catalogue_occupations.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    kind = Column(String(30), nullable=False)
    programme_id = Column(ForeignKey("catalogue_programmes.id"))
    steps = Column(JSON, nullable=False)
    years = Column(Float, nullable=False)

    occupation = relationship("Occupation", back_populates="routes")
    programme = relationship("Programme")
