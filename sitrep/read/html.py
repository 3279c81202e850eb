"""HTML pages: main text and metadata with trafilatura.

Before extraction we prune the parts of a page that are never the article (figures and their
captions, asides, navigation, share and "read also" widgets): trafilatura keeps captions and
some widgets on short pages, and a caption about an old photo must never become an event.
"""

from __future__ import annotations

import warnings

from sitrep.errors import ReadError
from sitrep.records import Article

PRUNE = [
    "//figure", "//figcaption", "//aside", "//nav", "//footer", "//header//nav", "//form",
    "//*[contains(@class,'share')]", "//*[contains(@class,'social')]", "//*[contains(@class,'related')]",
    "//*[contains(@class,'read-also')]", "//*[contains(@class,'readmore')]", "//*[contains(@class,'comment')]",
    "//*[contains(@id,'comment')]", "//*[contains(@class,'caption')]", "//*[contains(@class,'newsletter')]",
]


def extract_html(html: str, article_id: str, source_path: str | None = None, url: str | None = None) -> Article:
    import trafilatura

    source = source_path or article_id
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=False,
                include_images=False, prune_xpath=PRUNE, favor_precision=False,
            )
        except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
            raise ReadError(source, f"cannot parse HTML: {exc}") from exc
    if doc is None:
        raise ReadError(source, "no article text found in the HTML page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if not text:
        raise ReadError(source, "no article text found in the HTML page")
    title = data.get("title") or None
    body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    art = Article(id=article_id, text=body, html=html, url=url or data.get("url"), title=title,
                  outlet=data.get("sitename") or None, language=data.get("language") or None,
                  source_path=source_path)
    if data.get("date"):
        art.published, art.published_precision = str(data["date"])[:10], "day"
    return art
