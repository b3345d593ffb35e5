# Editing: set, move, the audit log, and the errors a typo gets.
init --isil DE-MS123 --name "Stadtarchiv Musterstadt"
import ead demo/tektonik.xml
import csv demo/personalakten-c4.csv
set "C 4.11 Nr. 242" lagerort "Magazin 2, Regal 14"
set "C 4.11 Nr. 242" lagerort "Magazin 2, Regal 14"
set "C 4.11 Nr. 242" titl "x"
set "C 4.11 Nr. 242" personal_data vielleicht
show "C 4.11 Nr. 282"
move "C 4.11" --to "C 5"
move "C 4.11" --to "C 4.11/1"
log "C 4.11 Nr. 242"
access "C 4.11 Nr. 242" --today 2026-11-26
imprt csv demo/fotos-e2.csv
