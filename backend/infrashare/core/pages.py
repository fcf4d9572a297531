"""Pages the server renders itself (the OAuth consent page, the printable agreement): Jinja2
templates in ``infrashare/templates``, their words in ``infrashare/locale/<language>.json``.

These pages speak both languages at once, Chinese first: the consent page is reached from a
partner app's site and the printed agreement is read by both parties, so neither waits for a
language choice (the web UI's is in the browser). Templates call ``both(key, **params)`` for a
phrase in every language and ``say(language, key, **params)`` for one; a catalogue text is
trusted markup and its parameters are escaped, as everything else (autoescape is on).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
LOCALES = PACKAGE / "locale"
LANGUAGES = ("zh-CN", "en")


@cache
def catalogue(language: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))
    return document


def text(language: str, key: str) -> str:
    """The catalogue's text for a dotted key (``consent.allow``); a missing key raises KeyError."""
    section, _, name = key.partition(".")
    return str(catalogue(language)[section][name])


def say(language: str, key: str, **params: object) -> Markup:
    return Markup(text(language, key)).format(**params)  # noqa: S704 (our catalogue; params escaped)


def both(key: str, **params: object) -> Markup:
    return Markup(" ").join(say(language, key, **params) for language in LANGUAGES)


def _add_globals(engine: JinjaTemplateEngine) -> None:
    engine.engine.globals.update(both=both, say=say, languages=LANGUAGES)


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_add_globals)
