"""Accessibility audit of representative pages in real Chromium (GB/T 37668 ≈ WCAG 2.x AA basics)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "catalogue/",
    "topics/",
    "years/2024/",
    "library/",
    "interpretations/",
    "catalogue/012500002-2021-00015/",
    "catalogue/012500800-2024-00038/",
    "guide/",
    "stats/",
    "data/",
    "search/?q=加装电梯",
]

AUDIT = """
() => {
  const problems = [];
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const name = el => (el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent || '').trim()
      || [...el.querySelectorAll('img')].map(i => i.alt).join('').trim();
  if (!/^zh/.test(document.documentElement.lang)) problems.push('html lang is ' + document.documentElement.lang);
  const main = document.querySelector('.md-content');
  const h1s = main.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push('h1 count ' + h1s.length);
  let last = 1;
  for (const h of main.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    const level = +h.tagName[1];
    if (level > last + 1) problems.push('heading skips to ' + h.tagName + ': ' + h.textContent.trim());
    last = level;
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
  for (const a of document.querySelectorAll('a[href]')) if (visible(a) && !name(a)) problems.push('link without name: ' + a.href);
  for (const b of document.querySelectorAll('button')) if (visible(b) && !name(b)) problems.push('button without name');
  for (const i of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!visible(i)) continue;
    const labelled = i.getAttribute('aria-label') || i.getAttribute('aria-labelledby') || i.getAttribute('placeholder')
      || (i.id && document.querySelector('label[for="' + i.id + '"]')) || i.closest('label');
    if (!labelled) problems.push('unlabelled control ' + (i.name || i.id));
  }
  for (const t of main.querySelectorAll('table')) if (!t.querySelector('th')) problems.push('table without headers');
  const lum = c => {
    const [r, g, b] = rgb(c).map(v => { v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  // colour as [r, g, b]; translucent colours are composited over white (the page background)
  const rgb = c => {
    const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number);
    return [r, g, b].map(v => v * a + 255 * (1 - a));
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  for (const el of main.querySelectorAll('p, li, td, th, a, strong, span, time, h1, h2, h3')) {
    if (!visible(el) || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize), bold = +style.fontWeight >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const l1 = lum(style.color), l2 = lum(background(el));
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ' for "' + el.textContent.trim().slice(0, 20) + '"');
  }
  return [...new Set(problems)];
}
"""


@pytest.mark.parametrize("url", PAGES)
def test_page_passes_the_audit(page: Any, sample_url: str, url: str) -> None:
    page.goto(sample_url + url)
    assert page.evaluate(AUDIT) == []


def test_skip_link_and_keyboard_reach_the_content(page: Any, sample_url: str) -> None:
    page.goto(sample_url + "catalogue/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳转至正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#gk-content"
    assert page.evaluate("document.activeElement.id") == "gk-content"
