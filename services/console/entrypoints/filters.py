"""Template filters: Dutch dates and numbers, plain names for codes and parties."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

from services.console.entrypoints.common import caller, services
from services.console.entrypoints.labels import label


def register(app: Flask) -> None:
    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        return str(format_datetime(value, "medium")) if value else "–"

    @app.template_filter("day")
    def day(value: str | date | None) -> str:
        if not value:
            return "–"
        if isinstance(value, str):
            try:
                return str(format_date(date.fromisoformat(value), "long"))
            except ValueError:
                return value
        return str(format_date(value, "long"))

    @app.template_filter("number")
    def number(value: int | float) -> str:
        return str(format_decimal(value))

    @app.template_filter("label")
    def label_filter(code: str) -> str:
        return label(code)

    @app.template_filter("party")
    def party(oin: str) -> str:
        if not oin:
            return "–"
        return services().governance.party_names(caller()).get(oin, oin)
