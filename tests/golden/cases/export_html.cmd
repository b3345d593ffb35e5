# export html: static finding aids of what is public; every mistake named before any writing.
init --isil DE-MS123 --name "Stadtarchiv Musterstadt" --public-base-url https://archiv.musterstadt.example/
import ead demo/tektonik.xml
import ead demo/findbuch-d13.xml
import csv demo/zwischenarchiv-f.csv
set F zwischenarchiv ja
set "D 1.3 Nr. 13" embargo_until 2030-12-31
export html --out "$FINDBUCH_ARCHIVE/../site" --today 2026-11-26
export html --out "$FINDBUCH_ARCHIVE/../site" --today 2026-11-26 --bestand "D 1.3"
export html --out "$FINDBUCH_ARCHIVE/../other" --bestand "D 1.3/1"
export html --out "$FINDBUCH_ARCHIVE/../other" --bestand F
set "D 2.2" zwischenarchiv ja
export html --out "$FINDBUCH_ARCHIVE/../site" --today 2026-11-26
export html --out "$FINDBUCH_ARCHIVE/../other" --bestand "D 9.9"
export html --out "$FINDBUCH_ARCHIVE/masters"
