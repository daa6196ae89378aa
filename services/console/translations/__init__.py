"""The nl and en message catalogues. The ``.po`` sources ship with the code and are compiled to
``.mo`` at the first start (Babel, already a dependency): no build step for a newcomer."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).parent


def compile_catalogues(target: Path) -> Path:
    """Compile every ``<locale>/LC_MESSAGES/messages.po`` into ``target`` when its ``.mo`` is
    missing or older; returns ``target`` (Flask-Babel's translation directory)."""
    for po in HERE.glob("*/LC_MESSAGES/messages.po"):
        mo = target / po.relative_to(HERE).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as src:
            catalog = read_po(src)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as dst:
            write_mo(dst, catalog)
        tmp.replace(mo)
    return target
