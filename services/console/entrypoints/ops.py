"""Liveness and readiness for the launcher and Kubernetes."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify({"ok": True})


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    # The console keeps no state that must load first; each page reports a service that
    # does not answer on its own.
    return jsonify({"ready": True})
