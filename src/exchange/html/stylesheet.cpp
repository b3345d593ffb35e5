#include "exchange/html/stylesheet.hpp"

namespace findbuch::html {

std::string_view stylesheet() {
  return R"css(/* Findbuch: static finding aids. No scripts; system fonts; works from a copied folder. */
:root { --text: #1a1a1a; --muted: #555; --line: #d0d0d0; --accent: #0b5394; --closed: #8a1c1c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 0 1rem 2rem; color: var(--text);
  background: #fff; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { position: static; display: inline-block; margin: .5rem 0; padding: .25rem .5rem;
  background: var(--accent); color: #fff; }
header { border-bottom: 2px solid var(--accent); padding: .75rem 0 .5rem; }
header .archiv { margin: 0; font-weight: bold; font-size: 1.1rem; }
header .archiv a { color: inherit; text-decoration: none; }
nav.pfad ol { list-style: none; margin: .5rem 0; padding: 0; color: var(--muted); }
nav.pfad li { display: inline; }
nav.pfad li + li::before { content: " › "; }
nav.inhaltsverzeichnis { margin: 1rem 0; padding: .5rem 1rem; border: 1px solid var(--line); }
nav.inhaltsverzeichnis h2 { margin: .25rem 0; font-size: 1.1rem; }
nav.inhaltsverzeichnis ol { margin: 0; padding-left: 1.25rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1rem 0 .5rem; }
h2 { font-size: 1.4rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3, h4, h5, h6 { margin: 1.5rem 0 .5rem; }
.signatur { font-weight: bold; white-space: nowrap; }
.ebene, .laufzeit, .umfang { color: var(--muted); }
dl.angaben { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; }
dl.angaben dt { font-weight: bold; }
dl.angaben dd { margin: 0; }
dl.angaben dd p { margin: 0 0 .5rem; }
ol.einheiten { list-style: none; margin: 0; padding: 0; }
ol.einheiten ol.einheiten { margin-left: 1.5rem; }
li.einheit { padding: .5rem 0; border-bottom: 1px solid var(--line); }
li.einheit .kopf { display: flex; flex-wrap: wrap; gap: 0 1rem; }
li.einheit .titel { flex: 1 1 20rem; }
li.einheit dl { margin: .25rem 0 0; }
li.einheit dt { display: inline; font-style: italic; }
li.einheit dt::after { content: ": "; }
li.einheit dd { display: inline; margin: 0; }
li.einheit dd::after { content: ""; display: block; }
.gesperrt { color: var(--closed); }
ul.digitalisat { list-style: none; margin: .25rem 0 0; padding: 0; }
ul.digitalisat li { display: inline; margin-right: 1rem; }
ul.tektonik, ul.bestaende { list-style: none; padding-left: 0; }
ul.bestaende li { margin: .25rem 0; }
footer { margin-top: 3rem; padding-top: .5rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: .9rem; }
footer address { font-style: normal; }

@media print {
  body { max-width: none; padding: 0; color: #000; background: #fff; font: 10.5pt/1.4 serif; }
  nav, .skip { display: none; }
  a { color: #000; text-decoration: none; }
  /* On paper a link is only useful with its address. */
  a[href^="http"]::after, a[href^="mailto:"]::after { content: " <" attr(href) ">";
    font-size: 85%; word-break: break-all; }
  header { border-bottom: 1px solid #000; }
  h1, h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }
  li.einheit { break-inside: avoid; border-color: #999; }
  .ebene, .laufzeit, .umfang, .gesperrt, footer { color: #000; }
}
)css";
}

}  // namespace findbuch::html
