"""Learned page templates kept per source, on both backends (a fleet shares them)."""

from __future__ import annotations

from storage import PageTemplate, Storage


def test_templates_are_kept_per_source_and_replaced_on_a_layout_change(store: Storage) -> None:
    assert store.page_templates("herald") == []
    store.save_page_template(PageTemplate("herald", "html/body/div.post", '{"a": 1}', 4))
    store.save_page_template(PageTemplate("herald", "html/body/div.amp", '{"b": 2}', 3))
    store.save_page_template(PageTemplate("wire", "html/body/main", '{"c": 3}', 5))
    assert {t.key for t in store.page_templates("herald")} == {
        "html/body/div.post",
        "html/body/div.amp",
    }
    assert len(store.page_templates()) == 3
    # learned again from more pages: the same key is updated, not doubled
    store.save_page_template(PageTemplate("herald", "html/body/div.post", '{"a": 2}', 8))
    (post,) = [t for t in store.page_templates("herald") if t.key == "html/body/div.post"]
    assert post.data == '{"a": 2}' and post.pages == 8 and post.learned_at
    # the layout changed: the new template replaces the source's others
    store.save_page_template(
        PageTemplate("herald", "html/body/section", '{"d": 4}', 3, replaced=1), replaces=True
    )
    (only,) = store.page_templates("herald")
    assert only.key == "html/body/section" and only.replaced == 1
    assert [t.source for t in store.page_templates("wire")] == ["wire"]
